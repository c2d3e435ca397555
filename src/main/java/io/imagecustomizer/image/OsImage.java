package io.imagecustomizer.image;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.image.mount.FstabEntry;
import io.imagecustomizer.image.mount.Mount;
import io.imagecustomizer.image.partition.GptReader;
import io.imagecustomizer.image.partition.Partition;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.resource.CleanupStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A raw disk image opened for customization: every partition on its own loop device, the root
 * filesystem found (the one partition holding etc/fstab) and mounted with the rest of its fstab.
 * FAT filesystems (the ESP) cannot be mounted by this kernel and are left to mtools. Closing
 * unmounts and detaches everything, also after a failure half-way through opening.
 */
public final class OsImage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OsImage.class);
  private static final Set<String> ROOT_TYPES = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs");
  private static final Set<String> FAT_TYPES = Set.of("vfat", "fat", "msdos");

  private final CleanupStack resources;
  private final Path raw;
  private final List<AttachedPartition> partitions;
  private final Map<String, AttachedPartition> mounts;
  private final ImageRoot root;

  private OsImage(
      CleanupStack resources,
      Path raw,
      List<AttachedPartition> partitions,
      Map<String, AttachedPartition> mounts,
      ImageRoot root) {
    this.resources = resources;
    this.raw = raw;
    this.partitions = partitions;
    this.mounts = mounts;
    this.root = root;
  }

  /**
   * Opens {@code raw} and mounts its filesystems under {@code mountRoot}.
   *
   * @param readOnly attach and mount read-only (ext4 journals are not replayed either)
   */
  public static OsImage open(ProcessRunner runner, Path raw, Path mountRoot, boolean readOnly) {
    CleanupStack resources = new CleanupStack();
    try {
      List<AttachedPartition> attached = new ArrayList<>();
      for (Partition partition : GptReader.read(raw)) {
        LoopDevice loop =
            resources.push(
                "loop device for partition " + partition.number(),
                LoopDevice.attach(runner, raw, partition.offset(), partition.size(), readOnly));
        attached.add(probe(runner, partition, loop.device()));
      }
      AttachedPartition rootPartition = findRoot(runner, attached, mountRoot);
      createDirectories(mountRoot);
      resources.push(
          "mount of /",
          Mount.mount(
              runner,
              rootPartition.device(),
              mountRoot,
              rootPartition.fsType(),
              options(rootPartition.fsType(), readOnly)));
      ImageRoot root = new ImageRoot(mountRoot);
      Map<String, AttachedPartition> mounts = new HashMap<>();
      mounts.put("/", rootPartition);
      mountFstab(runner, resources, root, attached, rootPartition, readOnly, mounts);
      return new OsImage(resources, raw, List.copyOf(attached), Map.copyOf(mounts), root);
    } catch (RuntimeException e) {
      try {
        resources.close();
      } catch (ImageCustomizerException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  public ImageRoot root() {
    return root;
  }

  public Path rawFile() {
    return raw;
  }

  public List<AttachedPartition> partitions() {
    return partitions;
  }

  /**
   * The partition the image's fstab mounts at {@code path} ({@code /}, {@code /boot}, {@code
   * /boot/efi}), FAT ones included although they are read with mtools rather than mounted.
   */
  public Optional<AttachedPartition> mountedAt(String path) {
    return Optional.ofNullable(mounts.get(path));
  }

  /** The EFI system partition, if the image has one. */
  public Optional<AttachedPartition> esp() {
    return partitions.stream().filter(p -> p.partition().isEsp()).findFirst();
  }

  @Override
  public void close() {
    resources.close();
  }

  private static AttachedPartition probe(ProcessRunner runner, Partition partition, String device) {
    String export =
        runner
            .runAllowingFailure(Command.of("blkid", "--probe", "--output", "export", device))
            .stdout();
    Map<String, String> fields = new HashMap<>();
    for (String line : export.lines().toList()) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return new AttachedPartition(
        partition,
        device,
        fields.getOrDefault("TYPE", ""),
        fields.getOrDefault("UUID", ""),
        fields.getOrDefault("LABEL", ""));
  }

  private static AttachedPartition findRoot(
      ProcessRunner runner, List<AttachedPartition> attached, Path mountRoot) {
    Path probe = mountRoot.resolveSibling(mountRoot.getFileName() + "-probe");
    createDirectories(probe);
    List<AttachedPartition> candidates = new ArrayList<>();
    try {
      for (AttachedPartition partition : attached) {
        if (!ROOT_TYPES.contains(partition.fsType())) {
          continue;
        }
        try (Mount mount =
            Mount.mount(
                runner,
                partition.device(),
                probe,
                partition.fsType(),
                options(partition.fsType(), true))) {
          if (Files.isRegularFile(probe.resolve("etc/fstab"))) {
            candidates.add(partition);
          }
        }
      }
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        LOG.warn("cannot remove {}: {}", probe, e.getMessage());
      }
    }
    if (candidates.size() != 1) {
      throw new ImageCustomizerException(
          candidates.isEmpty()
              ? "found no root filesystem in the image (no partition holds /etc/fstab)"
              : "found "
                  + candidates.size()
                  + " partitions holding /etc/fstab; cannot tell which is root",
          "the image must have exactly one Linux root filesystem with an /etc/fstab");
    }
    return candidates.get(0);
  }

  private static void mountFstab(
      ProcessRunner runner,
      CleanupStack resources,
      ImageRoot root,
      List<AttachedPartition> attached,
      AttachedPartition rootPartition,
      boolean readOnly,
      Map<String, AttachedPartition> mounts) {
    List<FstabEntry> entries = new ArrayList<>(FstabEntry.parse(root.readString("/etc/fstab")));
    entries.removeIf(e -> e.target().equals("/"));
    entries.sort(Comparator.comparingInt(e -> Path.of(e.target()).getNameCount()));
    for (FstabEntry entry : entries) {
      Optional<AttachedPartition> match =
          attached.stream()
              .filter(p -> p != rootPartition)
              .filter(
                  p ->
                      entry.sourceKind().equals("DEVICE")
                          ? false
                          : p.matches(entry.sourceKind(), entry.sourceValue()))
              .findFirst();
      if (match.isEmpty()) {
        LOG.info(
            "fstab entry {} on {} is not in this image; left unmounted",
            entry.source(),
            entry.target());
        continue;
      }
      AttachedPartition partition = match.get();
      mounts.put(entry.target(), partition);
      if (FAT_TYPES.contains(partition.fsType())) {
        LOG.debug(
            "{} ({}) is FAT; it is read and written with mtools",
            entry.target(),
            partition.device());
        continue;
      }
      Path target = root.resolve(entry.target());
      createDirectories(target);
      resources.push(
          "mount of " + entry.target(),
          Mount.mount(
              runner,
              partition.device(),
              target,
              partition.fsType(),
              options(partition.fsType(), readOnly)));
    }
  }

  private static List<String> options(String fsType, boolean readOnly) {
    if (!readOnly) {
      return List.of();
    }
    return fsType.startsWith("ext") ? List.of("ro", "noload") : List.of("ro");
  }

  private static void createDirectories(Path path) {
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot create " + path, e);
    }
  }
}
