package io.imagecustomizer.image.mount;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FstabEntryTest {
  @Test
  void aBtrfsEntryNamesItsSubvolumeFromTheTopLevel() {
    List<FstabEntry> entries =
        FstabEntry.parse(
            """
            UUID=1111 / btrfs subvol=/root,compress=zstd:1 0 1
            UUID=1111 /home btrfs noatime,subvol=@home 0 2
            UUID=2222 /boot ext4 defaults 0 2
            """);

    assertThat(entries)
        .extracting(e -> e.subvolume().orElse("-"))
        .containsExactly("root", "@home", "-");
  }
}
