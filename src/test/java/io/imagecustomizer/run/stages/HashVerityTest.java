package io.imagecustomizer.run.stages;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.config.MountIdType;
import io.imagecustomizer.config.Verity;
import io.imagecustomizer.image.partition.Partition;
import org.junit.jupiter.api.Test;

class HashVerityTest {
  private static final Partition DATA =
      new Partition(
          3, 1 << 20, 1 << 30, "4f68bce3-e8cd-4db1-96e7-fbcaf984b709", "aaaa-bbbb", "rootfs");

  @Test
  void mapsEachCorruptionOptionToSystemdsVeritysetupOption() {
    assertThat(HashVerity.options(null)).isEmpty();
    assertThat(HashVerity.options(Verity.CorruptionOption.IO_ERROR)).isEmpty();
    assertThat(HashVerity.options(Verity.CorruptionOption.IGNORE))
        .containsExactly("ignore-corruption");
    assertThat(HashVerity.options(Verity.CorruptionOption.PANIC))
        .containsExactly("panic-on-corruption");
    assertThat(HashVerity.options(Verity.CorruptionOption.RESTART))
        .containsExactly("restart-on-corruption");
  }

  @Test
  void namesAPartitionByPartitionUuidUnlessToldOtherwise() {
    assertThat(HashVerity.source(null, DATA, () -> "fs")).isEqualTo("PARTUUID=aaaa-bbbb");
    assertThat(HashVerity.source(MountIdType.PART_UUID, DATA, () -> "fs"))
        .isEqualTo("PARTUUID=aaaa-bbbb");
    assertThat(HashVerity.source(MountIdType.PART_LABEL, DATA, () -> "fs"))
        .isEqualTo("PARTLABEL=rootfs");
    assertThat(HashVerity.source(MountIdType.UUID, DATA, () -> "fs")).isEqualTo("UUID=fs");
  }
}
