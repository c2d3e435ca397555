package io.imagecustomizer.storage;

import io.imagecustomizer.config.DiskSize;
import io.imagecustomizer.config.FileSystem;
import io.imagecustomizer.config.Parsed;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.mount.Mount;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The subvolumes of a new btrfs filesystem ({@code storage.filesystems[].btrfs}), made through its
 * top level (subvolid=5) before anything is copied in, so that each subvolume's files land in it;
 * with a quota on any of them, qgroups are enabled and each limit set.
 */
final class BtrfsSubvolumes {
  private BtrfsSubvolumes() {}

  static void create(ProcessRunner runner, String device, FileSystem.Btrfs btrfs, Path top) {
    // By path, so a parent subvolume exists before the ones inside it.
    List<FileSystem.Subvolume> subvolumes =
        btrfs.subvolumes().stream()
            .sorted(Comparator.comparing(FileSystem.Subvolume::path))
            .toList();
    createDirectories(top);
    try (Mount mount = Mount.mount(runner, device, top, "btrfs", List.of("subvolid=5"))) {
      for (FileSystem.Subvolume subvolume : subvolumes) {
        Path path = top.resolve(subvolume.path());
        // Parents that are not subvolumes themselves are plain folders.
        createDirectories(path.getParent());
        runner.run(Command.of("btrfs", "subvolume", "create", path.toString()));
      }
      if (subvolumes.stream().anyMatch(s -> s.quota() != null)) {
        runner.run(Command.of("btrfs", "quota", "enable", top.toString()));
      }
      for (FileSystem.Subvolume subvolume : subvolumes) {
        FileSystem.Quota quota = subvolume.quota();
        if (quota == null) {
          continue;
        }
        String path = top.resolve(subvolume.path()).toString();
        if (quota.referencedLimit() != null) {
          String limit = "" + bytes(quota.referencedLimit());
          runner.run(Command.of("btrfs", "qgroup", "limit", limit, path));
        }
        if (quota.exclusiveLimit() != null) {
          String limit = "" + bytes(quota.exclusiveLimit());
          runner.run(Command.of("btrfs", "qgroup", "limit", "-e", limit, path));
        }
      }
    } finally {
      try {
        Files.deleteIfExists(top);
      } catch (IOException e) {
        // A folder left in the build dir is harmless; the mount above is already gone.
      }
    }
  }

  /** The quota of the subvolume {@code target} mounts, if it has one. */
  static FileSystem.@Nullable Quota quotaOf(NewDisk.Target target) {
    FileSystem.Btrfs btrfs = target.partition().filesystem().btrfs();
    if (target.subvolume() == null || btrfs == null) {
      return null;
    }
    return btrfs.subvolumes().stream()
        .filter(s -> target.subvolume().equals(s.path()))
        .map(FileSystem.Subvolume::quota)
        .filter(q -> q != null)
        .findFirst()
        .orElse(null);
  }

  /** A limit the validator has checked, in bytes. */
  static long bytes(String limit) {
    if (DiskSize.parse(limit) instanceof Parsed.Valid<DiskSize> valid) {
      return valid.value().bytes();
    }
    throw new IllegalStateException("quota limit " + limit + " passed validation");
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot create " + dir, e);
    }
  }
}
