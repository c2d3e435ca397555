package io.imagecustomizer.storage;

import io.imagecustomizer.config.FileSystem;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Makes the filesystems of a new layout with the host's mkfs programs, each with a UUID chosen here
 * (so fstab and grub can name it without probing). FAT gets a volume serial, which is what blkid
 * and fstab call its UUID ({@code ABCD-1234}).
 */
final class Mkfs {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Mkfs() {}

  static void requireTools(List<FileSystem> filesystems) {
    Map<String, String> tools = new HashMap<>(Map.of("sfdisk", "fdisk"));
    for (FileSystem fs : filesystems) {
      if (fs.type() != null) {
        switch (fs.type()) {
          case EXT4 -> tools.put("mkfs.ext4", "e2fsprogs");
          case XFS -> tools.put("mkfs.xfs", "xfsprogs");
          case FAT32, VFAT -> {
            tools.put("mkfs.vfat", "dosfstools");
            tools.put("mcopy", "mtools");
          }
          case BTRFS -> {
            tools.put("mkfs.btrfs", "btrfs-progs");
            if (fs.btrfs() != null && !fs.btrfs().subvolumes().isEmpty()) {
              tools.put("btrfs", "btrfs-progs");
            }
          }
        }
      }
    }
    HostTools.require(tools, "repartitioning the disk (storage.disks)");
  }

  /** Formats {@code device}; returns the new filesystem's UUID as fstab writes it. */
  static String format(ProcessRunner runner, String device, FileSystem.Type type) {
    return switch (type) {
      case EXT4 -> {
        String uuid = UUID.randomUUID().toString();
        runner.run(Command.of("mkfs.ext4", "-q", "-F", "-U", uuid, device));
        yield uuid;
      }
      case XFS -> {
        String uuid = UUID.randomUUID().toString();
        runner.run(Command.of("mkfs.xfs", "-q", "-f", "-m", "uuid=" + uuid, device));
        yield uuid;
      }
      case FAT32, VFAT -> {
        String serial = fatSerial();
        runner.run(
            Command.of(
                type == FileSystem.Type.FAT32
                    ? List.of("mkfs.vfat", "-F", "32", "-i", serial, device)
                    : List.of("mkfs.vfat", "-i", serial, device)));
        yield serial.substring(0, 4) + "-" + serial.substring(4);
      }
      case BTRFS -> {
        String uuid = UUID.randomUUID().toString();
        // -K: the loop device is over a sparse file, so there is nothing to discard.
        runner.run(Command.of("mkfs.btrfs", "-q", "-f", "-K", "-U", uuid, device));
        yield uuid;
      }
    };
  }

  /** Eight upper-case hex digits, the form mkfs.vfat -i takes and blkid shows. */
  static String fatSerial() {
    byte[] bytes = new byte[4];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes).toUpperCase(Locale.ROOT);
  }

  /** The type name mount and fstab use. */
  static String typeName(FileSystem.Type type) {
    return switch (type) {
      case EXT4 -> "ext4";
      case XFS -> "xfs";
      case FAT32, VFAT -> "vfat";
      case BTRFS -> "btrfs";
    };
  }
}
