package io.imagecustomizer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.config.MountIdType;
import io.imagecustomizer.config.Verity;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.AttachedPartition;
import io.imagecustomizer.image.mount.FstabEntry;
import io.imagecustomizer.image.partition.Partition;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputVerityTest {
  private static final List<AttachedPartition> PARTITIONS =
      List.of(
          attached(1, "esp", "vfat", "AAAA-BBBB"),
          attached(2, "boot", "ext4", "boot-fs"),
          attached(3, "rootfs", "ext4", "root-fs"),
          attached(4, "roothash", "DM_verity_hash", "hash-sb"),
          attached(5, "usr", "ext4", "usr-fs"),
          attached(6, "usrhash", "DM_verity_hash", "usrhash-sb"));

  private static AttachedPartition attached(int number, String label, String type, String uuid) {
    return new AttachedPartition(
        new Partition(number, number << 20, 1 << 20, "type", "part-" + number, label),
        "/dev/loop0p" + number,
        type,
        uuid,
        "");
  }

  private static final List<FstabEntry> ROOT_FSTAB =
      FstabEntry.parse("/dev/mapper/root / ext4 ro 0 0\nPARTUUID=part-2 /boot ext4 defaults 0 2\n");

  @Test
  void findsTheRootDeviceTheKernelLineNamesWithItsIdTypesAndReaction() {
    List<String> args =
        List.of(
            "root=/dev/mapper/root",
            "rd.systemd.verity=1",
            "roothash=" + "ab".repeat(32),
            "systemd.verity_root_data=PARTUUID=part-3",
            "systemd.verity_root_hash=PARTLABEL=roothash",
            "systemd.verity_root_options=panic-on-corruption",
            "console=ttyS0");

    assertThat(InputVerity.find(ROOT_FSTAB, args, PARTITIONS))
        .containsExactly(
            new VerityDevice(
                "root",
                3,
                4,
                MountIdType.PART_UUID,
                MountIdType.PART_LABEL,
                Verity.CorruptionOption.PANIC));
  }

  @Test
  void findsAUsrDeviceByFilesystemAndSuperblockUuids() {
    List<FstabEntry> fstab =
        FstabEntry.parse("PARTUUID=part-3 / ext4 defaults 0 1\n/dev/mapper/usr /usr ext4 ro 0 0\n");
    List<String> args =
        List.of(
            "usrhash=" + "cd".repeat(32),
            "systemd.verity_usr_data=UUID=usr-fs",
            "systemd.verity_usr_hash=UUID=usrhash-sb");

    assertThat(InputVerity.find(fstab, args, PARTITIONS))
        .containsExactly(new VerityDevice("usr", 5, 6, MountIdType.UUID, MountIdType.UUID, null));
  }

  @Test
  void aMissingArgumentOrPartitionIsNamed() {
    List<String> noHash =
        List.of(
            "systemd.verity_root_data=PARTUUID=part-3",
            "systemd.verity_root_hash=PARTLABEL=roothash");
    assertThatThrownBy(() -> InputVerity.find(ROOT_FSTAB, noHash, PARTITIONS))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessage(
            "storage.reinitializeVerity: the image mounts /dev/mapper/root, but its kernel"
                + " command line (grub.cfg) has no roothash");

    List<String> unknown =
        List.of(
            "roothash=00",
            "systemd.verity_root_data=PARTUUID=part-9",
            "systemd.verity_root_hash=PARTLABEL=roothash");
    assertThatThrownBy(() -> InputVerity.find(ROOT_FSTAB, unknown, PARTITIONS))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessage(
            "storage.reinitializeVerity: no partitions of the image match"
                + " systemd.verity_root_data=PARTUUID=part-9 of verity device root");
  }

  @Test
  void onlyTheCorruptionReactionsAreCarriedOver() {
    assertThat(InputVerity.corruption("root", null)).isNull();
    assertThat(InputVerity.corruption("root", "restart-on-corruption"))
        .isEqualTo(Verity.CorruptionOption.RESTART);
    assertThat(InputVerity.corruption("usr", "ignore-corruption"))
        .isEqualTo(Verity.CorruptionOption.IGNORE);
    assertThatThrownBy(() -> InputVerity.corruption("root", "root-hash-signature=/boot/x.sig"))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageStartingWith(
            "storage.reinitializeVerity: verity device root has the option"
                + " root-hash-signature=/boot/x.sig");
  }
}
