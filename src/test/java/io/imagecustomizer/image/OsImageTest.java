package io.imagecustomizer.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OsImageTest {
  @Test
  void readsTheSubvolumePathsBtrfsLists() {
    String out =
        """
        ID 256 gen 12 top level 5 path root
        ID 257 gen 12 top level 5 path home
        ID 258 gen 9 top level 256 path root/var/lib/db
        ID 259 gen 9 top level 5 path <FS_TREE>/snap shots
        """;

    assertThat(OsImage.parseSubvolumeList(out))
        .containsExactly("root", "home", "root/var/lib/db", "snap shots");
  }
}
