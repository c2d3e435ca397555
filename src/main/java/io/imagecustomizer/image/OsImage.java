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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A raw disk image opened for customization: every partition on its own loop device, the root
 * filesystem found (the one partition, or btrfs subvolume, holding etc/fstab) and mounted with the
 * rest of its fstab, btrfs subvolumes by their {@code subvol=} options. FAT filesystems (the ESP)
 * cannot be mounted by this kernel and are left to mtools. Closing unmounts and detaches
 * everything, also after a failure half-way through opening.
 */
public final class OsImage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OsImage.class);
  private static final Set<String> ROOT_TYPES = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs");
  private static final Set<String> FAT_TYPES = Set.of("vfat", "fat", "msdos");

  private final CleanupStack resources;
  private final Path raw;
  private final List<AttachedPartition> partitions;
  private final Map<String, AttachedPartition> mounts;
  private final Map<String, String> subvolumes;
  private final ImageRoot root;

  private OsImage(
      CleanupStack resources,
      Path raw,
      List<AttachedPartition> partitions,
      Map<String, AttachedPartition> mounts,
      Map<String, String> subvolumes,
      ImageRoot root) {
    this.resources = resources;
    this.raw = raw;
    this.partitions = partitions;
    this.mounts = mounts;
    this.subvolumes = subvolumes;
    this.root = root;
  }

  /**
   * Opens {@code raw} and mounts its filesystems under {@code mountRoot}.
   *
   * @param readOnly attach and mount read-only (ext4 journals are not replayed either)
   */
  public static OsImage open(ProcessRunner runner, Path raw, Path mountRoot, boolean readOnly) {
    return open(runner, raw, mountRoot, readOnly, Map.of());
  }

  /**
   * Opens {@code raw} as {@link #open(ProcessRunner, Path, Path, boolean)} does, where fstab may
   * name filesystems by device-mapper paths the booted OS opens itself ({@code /dev/mapper/usr} of
   * a verity device): {@code mapped} gives the partition number under each such path, whose
   * filesystem is mounted directly.
   */
  public static OsImage open(
      ProcessRunner runner,
      Path raw,
      Path mountRoot,
      boolean readOnly,
      Map<String, Integer> mapped) {
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
      Root found = findRoot(runner, attached, mountRoot);
      AttachedPartition rootPartition = found.partition();
      List<String> rootOptions = new ArrayList<>(options(rootPartition.fsType(), readOnly));
      Map<String, String> subvolumes = new HashMap<>();
      if (found.subvolume() != null) {
        rootOptions.add("subvol=/" + found.subvolume());
        subvolumes.put("/", found.subvolume());
      }
      createDirectories(mountRoot);
      resources.push(
          "mount of /",
          Mount.mount(
              runner, rootPartition.device(), mountRoot, rootPartition.fsType(), rootOptions));
      ImageRoot root = new ImageRoot(mountRoot);
      Map<String, AttachedPartition> mounts = new HashMap<>();
      mounts.put("/", rootPartition);
      mountFstab(
          runner, resources, root, attached, rootPartition, readOnly, mounts, subvolumes, mapped);
      return new OsImage(
          resources, raw, List.copyOf(attached), Map.copyOf(mounts), Map.copyOf(subvolumes), root);
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

  /**
   * The btrfs subvolume mounted at {@code path}, as a path from the filesystem's top level ({@code
   * root}, {@code @/home}); empty when that mount is a whole filesystem.
   */
  public Optional<String> subvolumeAt(String path) {
    return Optional.ofNullable(subvolumes.get(path));
  }

  /**
   * Every mount point of the image's fstab (FAT ones included, though read with mtools rather than
   * mounted) with its partition.
   */
  public Map<String, AttachedPartition> mounts() {
    return mounts;
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
    Map<String, String> fields =
        blkidFields(
            runner
                .runAllowingFailure(Command.of("blkid", "--probe", "--output", "export", device))
                .stdout());
    return new AttachedPartition(
        partition,
        device,
        fields.getOrDefault("TYPE", ""),
        fields.getOrDefault("UUID", ""),
        fields.getOrDefault("LABEL", ""));
  }

  /** {@code blkid --output export}'s lines as a map: TYPE, UUID, LABEL, ... */
  public static Map<String, String> blkidFields(String export) {
    Map<String, String> fields = new HashMap<>();
    for (String line : export.lines().toList()) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return fields;
  }

  /** The root filesystem: a partition, and the btrfs subvolume on it that holds etc/fstab. */
  private record Root(AttachedPartition partition, @Nullable String subvolume) {}

  private static Root findRoot(
      ProcessRunner runner, List<AttachedPartition> attached, Path mountRoot) {
    Path probe = mountRoot.resolveSibling(mountRoot.getFileName() + "-probe");
    createDirectories(probe);
    List<Root> candidates = new ArrayList<>();
    try {
      for (AttachedPartition partition : attached) {
        if (!ROOT_TYPES.contains(partition.fsType())) {
          continue;
        }
        boolean btrfs = partition.fsType().equals("btrfs");
        List<String> options = new ArrayList<>(options(partition.fsType(), true));
        if (btrfs) {
          // The top level, whatever the filesystem's default subvolume is.
          options.add("subvolid=5");
        }
        try (Mount mount =
            Mount.mount(runner, partition.device(), probe, partition.fsType(), options)) {
          if (Files.isRegularFile(probe.resolve("etc/fstab"))) {
            candidates.add(new Root(partition, null));
          } else if (btrfs) {
            for (String subvolume : subvolumes(runner, probe)) {
              if (Files.isRegularFile(probe.resolve(subvolume).resolve("etc/fstab"))) {
                candidates.add(new Root(partition, subvolume));
              }
            }
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
                  + " partitions or btrfs subvolumes holding /etc/fstab; cannot tell which is root",
          "the image must have exactly one Linux root filesystem with an /etc/fstab");
    }
    return candidates.get(0);
  }

  /**
   * The subvolumes of the btrfs top level mounted at {@code top}, as paths from it: {@code btrfs
   * subvolume list} prints {@code ID 256 gen 9 top level 5 path root} for each.
   */
  static List<String> subvolumes(ProcessRunner runner, Path top) {
    String out = runner.run(Command.of("btrfs", "subvolume", "list", top.toString())).stdout();
    return parseSubvolumeList(out);
  }

  static List<String> parseSubvolumeList(String out) {
    List<String> paths = new ArrayList<>();
    for (String line : out.lines().toList()) {
      int at = line.indexOf(" path ");
      if (line.startsWith("ID ") && at > 0) {
        String path = line.substring(at + " path ".length());
        paths.add(path.startsWith("<FS_TREE>/") ? path.substring("<FS_TREE>/".length()) : path);
      }
    }
    return paths;
  }

  private static void mountFstab(
      ProcessRunner runner,
      CleanupStack resources,
      ImageRoot root,
      List<AttachedPartition> attached,
      AttachedPartition rootPartition,
      boolean readOnly,
      Map<String, AttachedPartition> mounts,
      Map<String, String> subvolumes,
      Map<String, Integer> mapped) {
    List<FstabEntry> entries = new ArrayList<>(FstabEntry.parse(root.readString("/etc/fstab")));
    entries.removeIf(e -> e.target().equals("/"));
    entries.sort(Comparator.comparingInt(e -> Path.of(e.target()).getNameCount()));
    for (FstabEntry entry : entries) {
      Optional<AttachedPartition> match =
          attached.stream()
              // Another subvolume of the root's btrfs is mounted; the root itself is not again.
              .filter(p -> p != rootPartition || entry.subvolume().isPresent())
              .filter(
                  p ->
                      entry.sourceKind().equals("DEVICE")
                          ? Integer.valueOf(p.partition().number())
                              .equals(mapped.get(entry.source()))
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
      List<String> options = new ArrayList<>(options(partition.fsType(), readOnly));
      entry.subvolume().ifPresent(subvolume -> subvolumes.put(entry.target(), subvolume));
      entry.options().stream()
          .filter(o -> o.startsWith("subvol=") || o.startsWith("subvolid="))
          .forEach(options::add);
      resources.push(
          "mount of " + entry.target(),
          Mount.mount(runner, partition.device(), target, partition.fsType(), options));
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
