package io.imagecustomizer.storage;

import io.imagecustomizer.config.DiskLayout;
import io.imagecustomizer.config.FileSystem;
import io.imagecustomizer.config.MountIdType;
import io.imagecustomizer.config.MountPoint;
import io.imagecustomizer.config.Verity;
import io.imagecustomizer.config.VerityHashTree;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.image.mount.Mount;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.resource.CleanupStack;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A disk image made from a {@link DiskLayout}: a sparse file, its GPT written with sfdisk, each
 * partition on its own loop device and formatted (btrfs ones given their subvolumes and quotas),
 * the filesystems and subvolumes with a mount point mounted under one folder as the new OS will see
 * them (FAT ones excepted: this kernel cannot mount FAT, mtools writes them). Closing unmounts and
 * detaches everything; the file stays.
 */
public final class NewDisk implements AutoCloseable {
  private static final long MIB = 1024 * 1024;

  /**
   * One partition of the new disk, with the identifiers written to it.
   *
   * @param verityName the device-mapper name the OS opens it under, when it is a verity device's
   *     data partition
   */
  public record Made(
      DiskLayout.Slot slot,
      int number,
      String partUuid,
      String device,
      @Nullable FileSystem filesystem,
      @Nullable String fsUuid,
      @Nullable String verityName) {

    /** Where the new OS mounts this partition: once, or once per mounted btrfs subvolume. */
    public List<Target> targets() {
      if (filesystem == null) {
        return List.of();
      }
      if (filesystem.btrfs() != null && !filesystem.btrfs().subvolumes().isEmpty()) {
        return filesystem.btrfs().subvolumes().stream()
            .filter(s -> s.mountPoint() != null)
            .map(s -> new Target(this, s.mountPoint(), s.path()))
            .toList();
      }
      MountPoint mount = filesystem.mountPoint();
      return mount == null ? List.of() : List.of(new Target(this, mount, null));
    }

    boolean isFat() {
      return filesystem != null
          && (filesystem.type() == FileSystem.Type.FAT32
              || filesystem.type() == FileSystem.Type.VFAT);
    }

    String id() {
      return slot.partition().id();
    }
  }

  /**
   * One mount of the new OS: a partition's filesystem at {@code mount}, or one of its btrfs
   * subvolumes.
   */
  public record Target(Made partition, MountPoint mount, @Nullable String subvolume) {
    public String path() {
      return mount.path();
    }

    /**
     * What mount needs beyond the device while the OS is copied in: the subvolume, and on btrfs the
     * config's options too (so {@code compress=} compresses the copy, as upstream), writable.
     */
    List<String> mountOptions() {
      List<String> options = new ArrayList<>();
      if (subvolume != null) {
        options.add("subvol=/" + subvolume);
      }
      if (partition.filesystem().type() == FileSystem.Type.BTRFS) {
        configOptions().stream().filter(o -> !o.equals("ro")).forEach(options::add);
      }
      return options;
    }

    /** The options fstab gives: the subvolume first, then the config's, as upstream. */
    String fstabOptions() {
      List<String> options = new ArrayList<>();
      if (subvolume != null) {
        options.add("subvol=/" + subvolume);
      }
      options.addAll(configOptions());
      return options.isEmpty() ? "defaults" : String.join(",", options);
    }

    private List<String> configOptions() {
      return mount.options() == null || mount.options().isEmpty()
          ? List.of()
          : List.of(mount.options().split(","));
    }

    /** Whether the copy is compressed, so its size on disk is less than its files'. */
    boolean compressed() {
      return mountOptions().stream().anyMatch(o -> o.startsWith("compress"));
    }

    String type() {
      return Mkfs.typeName(partition.filesystem().type());
    }
  }

  private final ProcessRunner runner;
  private final Path raw;
  private final List<Made> partitions;
  private final ImageRoot root;
  private final CleanupStack resources;

  private NewDisk(
      ProcessRunner runner, Path raw, List<Made> partitions, ImageRoot root, CleanupStack open) {
    this.runner = runner;
    this.raw = raw;
    this.partitions = partitions;
    this.root = root;
    this.resources = open;
  }

  /**
   * Creates the disk at {@code raw} and mounts its filesystems under {@code mountRoot}; a btrfs
   * filesystem's top level is mounted beside it, at {@code mountRoot-top}, while its subvolumes are
   * made.
   *
   * @param filesystems the config's {@code storage.filesystems}; partitions without one stay
   *     unformatted (a verity device's hash partition among them)
   * @param verity the config's {@code storage.verity}: a filesystem on a verity device is made on
   *     its data partition
   */
  public static NewDisk create(
      ProcessRunner runner,
      DiskLayout layout,
      List<FileSystem> filesystems,
      List<Verity> verity,
      Path raw,
      Path mountRoot) {
    Mkfs.requireTools(filesystems);
    CleanupStack open = new CleanupStack();
    try {
      sparseFile(raw, layout.size());
      List<String> partUuids = partition(runner, layout, raw);
      Map<String, FileSystem> byDevice = new HashMap<>();
      Map<String, String> verityNames = new HashMap<>();
      // Inline verity: the filesystem ends where the hash tree behind it starts.
      Set<String> inline = new HashSet<>();
      for (Verity v : verity) {
        if (v.dataDeviceId() != null && v.dataDeviceId().equals(v.hashDeviceId())) {
          inline.add(v.dataDeviceId());
        }
      }
      for (FileSystem fs : filesystems) {
        Optional<Verity> on = verity.stream().filter(v -> v.id().equals(fs.deviceId())).findFirst();
        byDevice.put(on.map(Verity::dataDeviceId).orElse(fs.deviceId()), fs);
        on.ifPresent(v -> verityNames.put(v.dataDeviceId(), v.name()));
      }
      List<Made> made = new ArrayList<>();
      for (int i = 0; i < layout.slots().size(); i++) {
        DiskLayout.Slot slot = layout.slots().get(i);
        long size =
            inline.contains(slot.partition().id())
                ? VerityHashTree.inlineDataBytes(slot.size())
                : slot.size();
        LoopDevice loop =
            open.push(
                "loop device for new partition " + (i + 1),
                LoopDevice.attach(runner, raw, slot.start(), size, false));
        FileSystem fs = byDevice.get(slot.partition().id());
        String fsUuid =
            fs == null || fs.type() == null ? null : Mkfs.format(runner, loop.device(), fs.type());
        if (fs != null && fs.btrfs() != null && !fs.btrfs().subvolumes().isEmpty()) {
          BtrfsSubvolumes.create(runner, loop.device(), fs.btrfs(), topLevelMount(mountRoot));
        }
        made.add(
            new Made(
                slot,
                i + 1,
                partUuids.get(i),
                loop.device(),
                fs,
                fsUuid,
                verityNames.get(slot.partition().id())));
      }
      ImageRoot root = mountAll(runner, made, mountRoot, open);
      return new NewDisk(runner, raw, List.copyOf(made), root, open);
    } catch (RuntimeException e) {
      try {
        open.close();
      } catch (ImageCustomizerException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** Where a new btrfs filesystem's top level is mounted while its subvolumes are made. */
  public static Path topLevelMount(Path mountRoot) {
    return mountRoot.resolveSibling(mountRoot.getFileName() + "-top");
  }

  private static void sparseFile(Path raw, long size) {
    try (RandomAccessFile file = new RandomAccessFile(raw.toFile(), "rw")) {
      file.setLength(0);
      file.setLength(size);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot create " + raw, e);
    }
  }

  /** Writes the GPT; returns the partition UUIDs, chosen here so no read-back is needed. */
  private static List<String> partition(ProcessRunner runner, DiskLayout layout, Path raw) {
    StringBuilder script = new StringBuilder("label: gpt\nunit: sectors\n");
    List<String> uuids = new ArrayList<>();
    for (DiskLayout.Slot slot : layout.slots()) {
      String uuid = UUID.randomUUID().toString();
      uuids.add(uuid);
      script
          .append("start=")
          .append(slot.start() / 512)
          .append(", size=")
          .append(slot.size() / 512)
          .append(", type=")
          .append(PartitionTypes.guid(slot.partition().type()))
          .append(", uuid=")
          .append(uuid)
          .append('\n');
    }
    runner.run(
        Command.of("sfdisk", "--quiet", raw.toString())
            .withStdin(script.toString().getBytes(StandardCharsets.US_ASCII)));
    for (int i = 0; i < layout.slots().size(); i++) {
      String label = layout.slots().get(i).partition().label();
      if (label != null && !label.isEmpty()) {
        // As an argument, not in the script: a label may hold quotes the script cannot.
        runner.run(
            Command.of("sfdisk", "--quiet", "--part-label", raw.toString(), "" + (i + 1), label));
      }
    }
    return uuids;
  }

  private static ImageRoot mountAll(
      ProcessRunner runner, List<Made> made, Path mountRoot, CleanupStack open) {
    List<Target> targets = made.stream().flatMap(p -> p.targets().stream()).toList();
    Target rootTarget =
        targets.stream()
            .filter(t -> "/".equals(t.path()))
            .findFirst()
            .orElseThrow(
                () ->
                    new ImageCustomizerException(
                        "storage.filesystems mounts nothing at /",
                        "give the root filesystem (or btrfs subvolume) mountPoint: /"));
    try {
      Files.createDirectories(mountRoot);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot create " + mountRoot, e);
    }
    open.push("mount of the new /", mount(runner, rootTarget, mountRoot));
    ImageRoot root = new ImageRoot(mountRoot);
    List<Target> others =
        targets.stream()
            .filter(t -> !t.equals(rootTarget) && !t.partition().isFat())
            .sorted(Comparator.comparingInt(t -> Path.of(t.path()).getNameCount()))
            .toList();
    for (Target target : others) {
      Path dir = root.createDirectories(target.path(), ImageRoot.DEFAULT_DIR);
      open.push("mount of the new " + target.path(), mount(runner, target, dir));
    }
    return root;
  }

  private static Mount mount(ProcessRunner runner, Target target, Path dir) {
    return Mount.mount(
        runner, target.partition().device(), dir, target.type(), target.mountOptions());
  }

  public Path rawFile() {
    return raw;
  }

  public List<Made> partitions() {
    return partitions;
  }

  /** The new root filesystem with the new /boot, /var, ... mounted in it. */
  public ImageRoot root() {
    return root;
  }

  /** The FAT filesystem mounted at {@code path}, if the layout has one there. */
  public Optional<Made> fatAt(String path) {
    return partitions.stream()
        .filter(p -> p.isFat() && p.targets().stream().anyMatch(t -> path.equals(t.path())))
        .findFirst();
  }

  /**
   * Fails, before anything is copied, when the files from {@code source} that belong on one of the
   * new filesystems are more than it can hold, or more than a btrfs subvolume's quota allows; the
   * message says how large its partition or quota must be.
   */
  public void checkRoom(Path source) {
    List<Target> mounted =
        partitions.stream().filter(p -> !p.isFat()).flatMap(p -> p.targets().stream()).toList();
    Map<Made, Long> needed = new LinkedHashMap<>();
    Map<Made, List<String>> paths = new LinkedHashMap<>();
    for (Target target : mounted) {
      String path = target.path();
      long own = usage(source, path);
      for (Target other : mounted) {
        if (!other.equals(target)
            && isUnder(other.path(), path)
            && outermost(other, mounted, path)) {
          own -= usage(source, other.path());
        }
      }
      checkQuota(target, own);
      needed.merge(target.partition(), own, Long::sum);
      paths.computeIfAbsent(target.partition(), p -> new ArrayList<>()).add(path);
    }
    needed.forEach(
        (partition, bytes) -> {
          List<String> on = paths.get(partition);
          long free;
          try {
            free = Files.getFileStore(root.resolve(on.get(0))).getUnallocatedSpace();
          } catch (IOException e) {
            throw ImageCustomizerException.io(
                "cannot read the free space of the new " + on.get(0), e);
          }
          if (bytes > free) {
            long size = partition.slot().size();
            long minimum = (size - free + bytes) / MIB + 1;
            throw new ImageCustomizerException(
                "the image's files for "
                    + String.join(" and ", on)
                    + " need "
                    + bytes / MIB
                    + " MiB, but partition '"
                    + partition.id()
                    + "' ("
                    + size / MIB
                    + " MiB, "
                    + Mkfs.typeName(partition.filesystem().type())
                    + ") has room for "
                    + free / MIB
                    + " MiB",
                "make partition '" + partition.id() + "' at least " + minimum + "M");
          }
        });
  }

  /**
   * A subvolume's files beyond its quota would stop the copy half-way with EDQUOT. A compressed
   * copy may fit in less than its files' size; there the copy itself tells.
   */
  private static void checkQuota(Target target, long bytes) {
    FileSystem.Quota quota = BtrfsSubvolumes.quotaOf(target);
    if (quota == null || target.compressed()) {
      return;
    }
    for (String limit : new String[] {quota.referencedLimit(), quota.exclusiveLimit()}) {
      if (limit != null && bytes > BtrfsSubvolumes.bytes(limit)) {
        throw new ImageCustomizerException(
            "the image's files for "
                + target.path()
                + " need "
                + (bytes / MIB + 1)
                + " MiB, more than the quota of btrfs subvolume '"
                + target.subvolume()
                + "' ("
                + limit
                + ")",
            "raise that subvolume's quota to at least " + (bytes / MIB + 1) + "M");
      }
    }
  }

  /** Whether no other mount point lies between {@code inner} and {@code outer}. */
  private static boolean outermost(Target inner, List<Target> mounted, String outer) {
    return mounted.stream()
        .noneMatch(
            m ->
                !m.equals(inner)
                    && !m.path().equals(outer)
                    && isUnder(m.path(), outer)
                    && isUnder(inner.path(), m.path()));
  }

  private static boolean isUnder(String path, String parent) {
    return !path.equals(parent) && Path.of(path).startsWith(Path.of(parent));
  }

  /** Bytes the files under {@code path} of the old tree take, hard links counted once. */
  private long usage(Path source, String path) {
    Path dir = source.resolve(path.substring(1));
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    String out = runner.run(Command.of("du", "-s", "-B1", dir.toString())).stdout();
    return Long.parseLong(out.strip().split("\\s+")[0]);
  }

  /**
   * Copies the old OS tree {@code source} (its own mounts included) into the new filesystems.
   * {@code cp -a} keeps owners, modes, timestamps, hard links, ACLs and extended attributes
   * (SELinux labels too) and {@code --sparse=always} keeps holes; it is in every distribution's
   * coreutils, where rsync often is not installed.
   */
  public void copyFrom(Path source) {
    runner.run(
        Command.of(
            "cp",
            "-a",
            "--sparse=always",
            "--preserve=xattr",
            source + "/.",
            root.hostPath() + "/"));
  }

  /**
   * Writes /etc/fstab from the config: one line per mounted filesystem or btrfs subvolume (with its
   * {@code subvol=}), parents first, named the way its {@code idType} says (part-uuid when none).
   */
  public void writeFstab() {
    root.write("/etc/fstab", fstab(partitions).getBytes(StandardCharsets.UTF_8), null);
  }

  static String fstab(List<Made> partitions) {
    StringBuilder text = new StringBuilder();
    partitions.stream()
        .flatMap(p -> p.targets().stream())
        .sorted(Comparator.comparingInt(t -> Path.of(t.path()).getNameCount()))
        .forEach(
            t -> {
              String pass = "/".equals(t.path()) ? "1" : "2";
              text.append(source(t.partition(), t.mount().idType()))
                  .append(' ')
                  .append(t.path())
                  .append(' ')
                  .append(t.type())
                  .append(' ')
                  .append(t.fstabOptions())
                  .append(" 0 ")
                  .append(pass)
                  .append('\n');
            });
    return text.toString();
  }

  private static String source(Made partition, @Nullable MountIdType idType) {
    if (partition.verityName() != null) {
      // The initramfs opens the verity device under this name; the rules forbid an idType here.
      return "/dev/mapper/" + partition.verityName();
    }
    if (idType == MountIdType.UUID) {
      return "UUID=" + partition.fsUuid();
    }
    if (idType == MountIdType.PART_LABEL) {
      // fstab separates fields by blanks; a label's spaces are written as octal escapes.
      return "PARTLABEL=" + partition.slot().partition().label().replace(" ", "\\040");
    }
    return "PARTUUID=" + partition.partUuid().toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    resources.close();
  }
}
