package io.imagecustomizer.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.config.DiskLayout;
import io.imagecustomizer.config.FileSystem;
import io.imagecustomizer.config.MountIdType;
import io.imagecustomizer.config.MountPoint;
import io.imagecustomizer.config.Partition;
import io.imagecustomizer.format.RecordingRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files and commands a storage change writes: fstab from the config (btrfs subvolumes too), the
 * subvolumes and quotas of a new btrfs, fstab after a UUID reset.
 */
class StorageFilesTest {
  private static NewDisk.Made made(
      int number,
      String label,
      FileSystem.Type type,
      String path,
      MountIdType idType,
      String options) {
    Partition partition = new Partition("p" + number, label, null, null, "1M", null);
    return new NewDisk.Made(
        new DiskLayout.Slot(partition, number * 1048576L, (number + 1) * 1048576L),
        number,
        "0000000" + number + "-aaaa-bbbb-cccc-dddddddddddd",
        "/dev/loop" + number,
        new FileSystem("p" + number, type, new MountPoint(idType, options, path), null),
        "fs-uuid-" + number,
        null);
  }

  @Test
  void fstabNamesEachFilesystemAsItsIdTypeSaysParentsFirst() {
    String fstab =
        NewDisk.fstab(
            List.of(
                made(1, "esp", FileSystem.Type.FAT32, "/boot/efi", null, "umask=0077"),
                made(2, "boot", FileSystem.Type.EXT4, "/boot", MountIdType.PART_UUID, null),
                made(3, "root", FileSystem.Type.XFS, "/", MountIdType.UUID, null),
                made(4, "var data", FileSystem.Type.EXT4, "/var", MountIdType.PART_LABEL, null)));
    assertThat(fstab)
        .isEqualTo(
            """
            UUID=fs-uuid-3 / xfs defaults 0 1
            PARTUUID=00000002-aaaa-bbbb-cccc-dddddddddddd /boot ext4 defaults 0 2
            PARTLABEL=var\\040data /var ext4 defaults 0 2
            PARTUUID=00000001-aaaa-bbbb-cccc-dddddddddddd /boot/efi vfat umask=0077 0 2
            """);
  }

  @Test
  void fstabMountsAVerityFilesystemByItsDeviceMapperName() {
    NewDisk.Made root = made(3, "root", FileSystem.Type.EXT4, "/", null, "ro");
    NewDisk.Made verityRoot =
        new NewDisk.Made(
            root.slot(),
            root.number(),
            root.partUuid(),
            root.device(),
            root.filesystem(),
            root.fsUuid(),
            "root");

    assertThat(NewDisk.fstab(List.of(verityRoot))).isEqualTo("/dev/mapper/root / ext4 ro 0 1\n");
  }

  @Test
  void fstabGivesEachMountedBtrfsSubvolumeItsSubvolFirst() {
    Partition partition = new Partition("system", "system", null, null, "grow", null);
    FileSystem btrfs =
        new FileSystem(
            "system",
            FileSystem.Type.BTRFS,
            null,
            new FileSystem.Btrfs(
                List.of(
                    new FileSystem.Subvolume(
                        "root", new MountPoint(MountIdType.UUID, "compress=zstd:1", "/"), null),
                    new FileSystem.Subvolume(
                        "home",
                        new MountPoint(MountIdType.PART_LABEL, null, "/home"),
                        new FileSystem.Quota("256M", null)),
                    new FileSystem.Subvolume("snapshots", null, null))));
    NewDisk.Made system =
        new NewDisk.Made(
            new DiskLayout.Slot(partition, 65 * 1048576L, 2048 * 1048576L),
            2,
            "00000002-aaaa-bbbb-cccc-dddddddddddd",
            "/dev/loop2",
            btrfs,
            "fs-uuid-2",
            null);

    String fstab =
        NewDisk.fstab(
            List.of(
                made(1, "esp", FileSystem.Type.FAT32, "/boot/efi", null, "umask=0077"), system));

    assertThat(fstab)
        .isEqualTo(
            """
            UUID=fs-uuid-2 / btrfs subvol=/root,compress=zstd:1 0 1
            PARTLABEL=system /home btrfs subvol=/home 0 2
            PARTUUID=00000001-aaaa-bbbb-cccc-dddddddddddd /boot/efi vfat umask=0077 0 2
            """);
    // The copy is mounted with the config's btrfs options, so it is compressed as it lands.
    assertThat(system.targets())
        .extracting(NewDisk.Target::mountOptions)
        .containsExactly(List.of("subvol=/root", "compress=zstd:1"), List.of("subvol=/home"));
    assertThat(system.targets())
        .extracting(NewDisk.Target::path, NewDisk.Target::subvolume)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/", "root"),
            org.assertj.core.groups.Tuple.tuple("/home", "home"));
  }

  @Test
  void subvolumesAreMadeParentsFirstThroughTheTopLevelWithTheirQuotas(@TempDir Path dir) {
    RecordingRunner runner = new RecordingRunner("");
    Path top = dir.resolve("newimageroot-top");
    FileSystem.Btrfs btrfs =
        new FileSystem.Btrfs(
            List.of(
                new FileSystem.Subvolume("root/var/lib/db", null, new FileSystem.Quota(null, "1G")),
                new FileSystem.Subvolume("root", null, null),
                new FileSystem.Subvolume("home", null, new FileSystem.Quota("256M", "128M"))));

    BtrfsSubvolumes.create(runner, "/dev/loop7", btrfs, top);

    assertThat(runner.lines())
        .containsExactly(
            "mount -t btrfs -o subvolid=5 /dev/loop7 " + top,
            "btrfs subvolume create " + top + "/home",
            "btrfs subvolume create " + top + "/root",
            "btrfs subvolume create " + top + "/root/var/lib/db",
            "btrfs quota enable " + top,
            "btrfs qgroup limit 268435456 " + top + "/home",
            "btrfs qgroup limit -e 134217728 " + top + "/home",
            "btrfs qgroup limit -e 1073741824 " + top + "/root/var/lib/db",
            "umount " + top);
    // The nested subvolume's parents that are no subvolumes are plain folders (here not mounted).
    assertThat(top.resolve("root/var/lib")).isDirectory();
  }

  @Test
  void aUuidResetRenamesUuidAndPartuuidSourcesOnly() {
    String fstab =
        """
        UUID=878620d2-8f31-4cf8-a160-2e169f416519 / ext4 defaults 0 1
        PARTUUID=b85ccc86-7094-cb4e-89b6-2f2082f07b9f /srv ext4 defaults 0 2
        UUID=ABCD-1234 /boot/efi vfat umask=0077 0 2
        LABEL=data /data ext4 defaults 0 2
        tmpfs /tmp tmpfs defaults 0 0
        """;
    Map<String, String> renamed =
        Map.of(
            "878620d2-8f31-4cf8-a160-2e169f416519", "11111111-2222-3333-4444-555555555555",
            "b85ccc86-7094-cb4e-89b6-2f2082f07b9f", "66666666-7777-8888-9999-000000000000",
            "abcd-1234", "beef-0042");
    assertThat(UuidReset.rewriteFstab(fstab, renamed))
        .isEqualTo(
            """
            UUID=11111111-2222-3333-4444-555555555555 / ext4 defaults 0 1
            PARTUUID=66666666-7777-8888-9999-000000000000 /srv ext4 defaults 0 2
            UUID=BEEF-0042 /boot/efi vfat umask=0077 0 2
            LABEL=data /data ext4 defaults 0 2
            tmpfs /tmp tmpfs defaults 0 0
            """);
  }

  @Test
  void typeNamesBecomeTheGuidsOfTheirCpu() {
    assertThat(PartitionTypes.guid("esp", "amd64"))
        .isEqualTo("c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
    assertThat(PartitionTypes.guid("root", "amd64"))
        .isEqualTo("4f68bce3-e8cd-4db1-96e7-fbcaf984b709");
    assertThat(PartitionTypes.guid("root", "aarch64"))
        .isEqualTo("b921b045-1df0-41c3-af44-4c6f280d3fae");
    assertThat(PartitionTypes.guid(null, "amd64"))
        .isEqualTo("0fc63daf-8483-4772-8e79-3d69d8477de4");
    assertThat(PartitionTypes.guid("0FC63DAF-8483-4772-8E79-3D69D8477DE4", "amd64"))
        .isEqualTo("0fc63daf-8483-4772-8e79-3d69d8477de4");
  }
}
