package io.imagecustomizer.config;

import static io.imagecustomizer.config.Checks.blank;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The rules of {@code storage}: the new disk layout, verity devices and filesystems. */
final class StorageRules {
  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern VERITY_NAME = Pattern.compile("[a-z]+");
  private static final Set<String> PARTITION_TYPES =
      Set.of(
          "esp",
          "bios-grub",
          "home",
          "linux-generic",
          "root",
          "root-verity",
          "srv",
          "swap",
          "tmp",
          "usr",
          "usr-verity",
          "var",
          "xbootldr");

  private final Checks checks;
  private final Problems problems;
  private final Config config;

  StorageRules(Checks checks) {
    this.checks = checks;
    this.problems = checks.problems();
    this.config = checks.config();
  }

  void check(Storage storage) {
    boolean hasDisks = !storage.disks().isEmpty();
    if (storage.disks().size() > 1) {
      problems.add("storage.disks", "defining more than one disk is not supported");
    }
    if (storage.resetPartitionsUuidsType() != null && hasDisks) {
      problems.add(
          "storage.resetPartitionsUuidsType",
          "cannot be combined with 'disks'",
          "new disks get new UUIDs anyway; remove one of the two");
    }
    if (hasDisks && storage.bootType() == null) {
      problems.add("storage", "must specify 'bootType' when 'disks' are specified");
    }
    if (!hasDisks && storage.bootType() != null) {
      problems.add("storage.bootType", "cannot be given without 'disks'");
    }
    if (!hasDisks && !storage.filesystems().isEmpty()) {
      problems.add("storage.filesystems", "cannot be given without 'disks'");
    }
    if ((hasDisks || storage.resetPartitionsUuidsType() != null) && !hardReset()) {
      problems.add(
          hasDisks ? "storage.disks" : "storage.resetPartitionsUuidsType",
          "requires os.bootloader.resetType: hard-reset",
          "a new disk layout invalidates the image's boot loader configuration");
    }
    if (storage.reinitializeVerity() != null) {
      checks.needsPreview("storage.reinitializeVerity", PreviewFeature.REINITIALIZE_VERITY);
    }
    if (storage.reinitializeVerity() == Storage.ReinitializeVerity.ALL && hasDisks) {
      problems.add(
          "storage.reinitializeVerity",
          "not supported yet: rebuilding the input's verity devices on a new layout"
              + " (storage.disks)",
          "a new layout copies the input's files, not its verity devices; give them with"
              + " storage.verity instead");
    }
    Map<String, Partition> partitions = new HashMap<>();
    Map<String, DiskLayout.Slot> slots = new HashMap<>();
    for (int d = 0; d < storage.disks().size(); d++) {
      DiskLayout layout = disk("storage.disks[" + d + "]", storage.disks().get(d), partitions);
      if (layout != null) {
        layout.slots().forEach(slot -> slots.put(slot.partition().id(), slot));
      }
    }
    Set<String> deviceIds = new HashSet<>(partitions.keySet());
    // Which YAML path uses each partition: a device serves one verity device or filesystem.
    Map<String, String> usedBy = new HashMap<>();
    for (int v = 0; v < storage.verity().size(); v++) {
      String at = "storage.verity[" + v + "]";
      Verity verity = storage.verity().get(v);
      verity(at, verity, hasDisks);
      if (!blank(verity.id()) && !deviceIds.add(verity.id())) {
        problems.add(at + ".id", "duplicate id \"" + verity.id() + "\"");
      }
      if (hasDisks) {
        verityPartitions(at, verity, partitions, slots, usedBy);
      }
    }
    filesystems(storage, partitions, deviceIds, usedBy);
    if (hasDisks) {
      for (int v = 0; v < storage.verity().size(); v++) {
        verityMount("storage.verity[" + v + "]", storage.verity().get(v), storage);
      }
    }
    if (hasDisks && storage.bootType() != null) {
      String needed = storage.bootType() == Storage.BootType.EFI ? "esp" : "bios-grub";
      if (partitions.values().stream().noneMatch(p -> needed.equals(p.type()))) {
        problems.add(
            "storage.bootType",
            "boot type '"
                + (storage.bootType() == Storage.BootType.EFI ? "efi" : "legacy")
                + "' needs a partition of type '"
                + needed
                + "'");
      }
    }
  }

  private @Nullable DiskLayout disk(String at, Disk disk, Map<String, Partition> partitions) {
    for (int i = 0; i < disk.partitions().size(); i++) {
      String p = at + ".partitions[" + i + "]";
      Partition partition = disk.partitions().get(i);
      if (blank(partition.id())) {
        problems.add(p + ".id", "must not be empty", "filesystems refer to partitions by id");
      } else if (partitions.put(partition.id(), partition) != null) {
        problems.add(p + ".id", "duplicate id \"" + partition.id() + "\"");
      }
      if (partition.label() != null
          && (partition.label().length() > 35
              || !partition.label().chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
        problems.add(p + ".label", "must be printable ASCII of at most 35 characters");
      }
      if (partition.type() != null
          && !PARTITION_TYPES.contains(partition.type())
          && !GUID.matcher(partition.type()).matches()) {
        problems.add(
            p + ".type",
            "unknown partition type \"" + partition.type() + "\"",
            "use one of "
                + String.join(", ", PARTITION_TYPES.stream().sorted().toList())
                + ", or a GPT type GUID");
      }
    }
    return DiskLayout.plan(at, disk, problems::add);
  }

  private void verity(String at, Verity verity, boolean hasDisks) {
    if (blank(verity.id())) {
      problems.add(at + ".id", "must not be empty");
    }
    if (verity.name() == null || !VERITY_NAME.matcher(verity.name()).matches()) {
      problems.add(at + ".name", "must be lower-case letters, e.g. root or usr");
    }
    checkVerityDevice(at, "dataDevice", verity.dataDeviceId(), verity.dataDevice(), hasDisks);
    checkVerityDevice(at, "hashDevice", verity.hashDeviceId(), verity.hashDevice(), hasDisks);
    if (verity.dataDevice() != null && verity.dataDevice().equals(verity.hashDevice())) {
      problems.add(
          at + ".hashDevice",
          "is the data partition: inline verity needs a new partition (storage.disks), since an"
              + " existing filesystem fills its partition and leaves no room for the hash tree",
          "give the hash tree a partition of its own");
    }
    if (verity.hashSignaturePath() != null) {
      checks.needsPreview(at + ".hashSignaturePath", PreviewFeature.OUTPUT_ARTIFACTS);
      String path = verity.hashSignaturePath();
      if (!path.startsWith("/boot/") || !Path.of(path).normalize().toString().equals(path)) {
        problems.add(at + ".hashSignaturePath", "must be a normalized absolute path under /boot/");
      }
    }
  }

  /**
   * The new partitions a verity device names: each exists, serves nothing else, and a hash
   * partition holds the tree of its data partition (upstream finds out only when veritysetup
   * fails).
   */
  private void verityPartitions(
      String at,
      Verity verity,
      Map<String, Partition> partitions,
      Map<String, DiskLayout.Slot> slots,
      Map<String, String> usedBy) {
    String data = verity.dataDeviceId();
    String hash = verity.hashDeviceId();
    boolean dataFound = verityPartition(at + ".dataDeviceId", data, partitions, usedBy);
    // The same partition twice is inline verity: the tree behind the filesystem.
    boolean inline = data != null && data.equals(hash);
    boolean hashFound =
        inline ? dataFound : verityPartition(at + ".hashDeviceId", hash, partitions, usedBy);
    mountIdType(at + ".dataDeviceMountIdType", verity.dataDeviceMountIdType(), data, partitions);
    mountIdType(at + ".hashDeviceMountIdType", verity.hashDeviceMountIdType(), hash, partitions);
    if (dataFound
        && inline
        && slots.containsKey(data)
        && VerityHashTree.inlineDataBytes(slots.get(data).size()) == 0) {
      problems.add(
          at + ".dataDeviceId",
          "partition \"" + data + "\" is too small for a filesystem and its hash tree",
          "make it larger");
    }
    if (dataFound && hashFound && !inline && slots.containsKey(data) && slots.containsKey(hash)) {
      long needed = VerityHashTree.bytes(slots.get(data).size());
      long size = slots.get(hash).size();
      if (size < needed) {
        long neededMib = (needed + DiskSize.MIB - 1) / DiskSize.MIB;
        problems.add(
            at + ".hashDeviceId",
            "partition \""
                + hash
                + "\" ("
                + size / DiskSize.MIB
                + "M) is too small for the hash tree of partition \""
                + data
                + "\" ("
                + slots.get(data).size() / DiskSize.MIB
                + "M), which needs "
                + needed
                + " bytes",
            "make partition \"" + hash + "\" at least " + neededMib + "M");
      }
    }
  }

  private boolean verityPartition(
      String at,
      @Nullable String id,
      Map<String, Partition> partitions,
      Map<String, String> usedBy) {
    if (id == null) {
      return false;
    }
    if (!partitions.containsKey(id)) {
      problems.add(
          at,
          "no partition has id \"" + id + "\"",
          "a verity device's data and hash devices are partitions of storage.disks");
      return false;
    }
    String previous = usedBy.putIfAbsent(id, at);
    if (previous != null) {
      problems.add(at, "partition \"" + id + "\" is also used by " + previous);
    }
    return true;
  }

  private void mountIdType(
      String at,
      @Nullable MountIdType type,
      @Nullable String id,
      Map<String, Partition> partitions) {
    Partition partition = id == null ? null : partitions.get(id);
    if (type == MountIdType.PART_LABEL && partition != null && blank(partition.label())) {
      problems.add(at, "part-label needs partition \"" + id + "\" to have a label");
    }
  }

  /**
   * Where the filesystem on a verity device is mounted, as upstream requires: once, at / for the
   * device named root or /usr for usr, read-only, found by the device-mapper name (so no idType). A
   * verity root also needs /boot elsewhere: its root hash goes into grub.cfg after the tree is
   * made, and a grub.cfg on the verified filesystem would no longer match it.
   */
  private void verityMount(String at, Verity verity, Storage storage) {
    if (blank(verity.id())) {
      return;
    }
    List<String> mounts = new ArrayList<>();
    List<MountPoint> points = new ArrayList<>();
    for (int i = 0; i < storage.filesystems().size(); i++) {
      FileSystem fs = storage.filesystems().get(i);
      if (!verity.id().equals(fs.deviceId())) {
        continue;
      }
      String fsAt = "storage.filesystems[" + i + "]";
      if (fs.mountPoint() != null) {
        mounts.add(fsAt + ".mountPoint");
        points.add(fs.mountPoint());
      }
      if (fs.btrfs() != null) {
        List<FileSystem.Subvolume> subvolumes = fs.btrfs().subvolumes();
        for (int s = 0; s < subvolumes.size(); s++) {
          if (subvolumes.get(s).mountPoint() != null) {
            mounts.add(fsAt + ".btrfs.subvolumes[" + s + "].mountPoint");
            points.add(subvolumes.get(s).mountPoint());
          }
        }
      }
    }
    if (mounts.isEmpty()) {
      problems.add(
          at,
          "no filesystem mounts verity device \"" + verity.id() + "\"",
          "add a storage.filesystems entry with deviceId: "
              + verity.id()
              + ", mounted at / (name root) or /usr (name usr) with options: ro");
      return;
    }
    if (mounts.size() > 1) {
      problems.add(
          mounts.get(1),
          "verity device \"" + verity.id() + "\" is already mounted at " + mounts.get(0),
          "a verity device has one mount point");
      return;
    }
    String mountAt = mounts.get(0);
    MountPoint mount = points.get(0);
    String expected =
        "/".equals(mount.path()) ? "root" : "/usr".equals(mount.path()) ? "usr" : null;
    if (expected == null) {
      problems.add(
          mountAt + ".path",
          "a verity device must be mounted at / or /usr",
          "dm-verity protects the root or the /usr filesystem");
    } else if (!expected.equals(verity.name())) {
      problems.add(
          at + ".name",
          "must be " + expected + " for the verity device mounted at " + mount.path(),
          "the initramfs opens it as /dev/mapper/" + expected);
    }
    if (mount.options() == null || !List.of(mount.options().split(",")).contains("ro")) {
      problems.add(
          mountAt + ".options",
          "must include ro: a verity device is read-only",
          "e.g. options: ro");
    }
    if (mount.idType() != null) {
      problems.add(
          mountAt + ".idType",
          "must not be set on a verity device's filesystem",
          "it is mounted as /dev/mapper/"
              + verity.name()
              + "; name its partitions with dataDeviceMountIdType and hashDeviceMountIdType");
    }
    if ("root".equals(expected) && !bootMountedApart(storage)) {
      problems.add(
          at,
          "a verity root needs /boot on a partition of its own",
          "the root hash is written to grub.cfg on /boot after the root's hash tree is made; add a"
              + " partition with a filesystem mounted at /boot");
    }
  }

  private static boolean bootMountedApart(Storage storage) {
    return storage.filesystems().stream()
        .anyMatch(
            fs ->
                fs.mountPoint() != null
                    && "/boot".equals(fs.mountPoint().path())
                    && storage.verity().stream()
                        .noneMatch(v -> fs.deviceId() != null && fs.deviceId().equals(v.id())));
  }

  private void checkVerityDevice(
      String at,
      String field,
      @Nullable String id,
      Verity.@Nullable IdentifiedPartition existing,
      boolean hasDisks) {
    if (id != null && existing != null) {
      problems.add(at + "." + field, "cannot be given together with '" + field + "Id'");
    } else if (id == null && existing == null) {
      problems.add(at, "must specify '" + field + "Id' or '" + field + "'");
    } else if (id != null && !hasDisks) {
      problems.add(
          at + "." + field + "Id",
          "refers to a new partition, but no disks are defined",
          "use '" + field + "' to name an existing partition by its label");
    } else if (existing != null && hasDisks) {
      problems.add(
          at + "." + field,
          "names an existing partition, but storage.disks creates a new layout",
          "use '" + field + "Id'");
    } else if (existing != null) {
      if (existing.idType() == null) {
        problems.add(
            at + "." + field + ".idType", "must be given", "part-label: the partition's GPT label");
      }
      if (blank(existing.id())) {
        problems.add(at + "." + field + ".id", "must not be empty");
      }
    }
  }

  private void filesystems(
      Storage storage,
      Map<String, Partition> partitions,
      Set<String> ids,
      Map<String, String> usedBy) {
    Map<String, String> mountPaths = new HashMap<>();
    for (int i = 0; i < storage.filesystems().size(); i++) {
      String at = "storage.filesystems[" + i + "]";
      FileSystem fs = storage.filesystems().get(i);
      if (blank(fs.deviceId())) {
        problems.add(at + ".deviceId", "must not be empty");
      } else if (!ids.contains(fs.deviceId())) {
        problems.add(
            at + ".deviceId", "no partition or verity device has id \"" + fs.deviceId() + "\"");
      } else {
        String previous = usedBy.putIfAbsent(fs.deviceId(), at);
        if (previous != null && previous.startsWith("storage.verity")) {
          problems.add(
              at + ".deviceId",
              "partition \"" + fs.deviceId() + "\" is used by " + previous,
              "a filesystem on a verity device names the verity device's id");
        } else if (previous != null) {
          problems.add(
              at + ".deviceId", "device \"" + fs.deviceId() + "\" is used by another filesystem");
        }
      }
      if (fs.type() == FileSystem.Type.BTRFS) {
        checks.needsPreview(at + ".type", PreviewFeature.BTRFS);
      } else if (fs.btrfs() != null) {
        checks.needsPreview(at + ".btrfs", PreviewFeature.BTRFS);
      }
      MountPoint mount = fs.mountPoint();
      Partition partition = fs.deviceId() == null ? null : partitions.get(fs.deviceId());
      if (mount != null) {
        if (fs.type() == null) {
          problems.add(at + ".type", "must be given when the filesystem has a mount point");
        }
        mountPoint(at + ".mountPoint", mount, partition, mountPaths);
        if (fs.type() == FileSystem.Type.BTRFS) {
          noSubvolOption(at + ".mountPoint.options", mount);
        }
      }
      if (partition != null && "esp".equals(partition.type())) {
        if (fs.type() != FileSystem.Type.FAT32 && fs.type() != FileSystem.Type.VFAT) {
          problems.add(at + ".type", "an esp partition needs a fat32 or vfat filesystem");
        }
        if (mount == null || !"/boot/efi".equals(mount.path())) {
          problems.add(at + ".mountPoint", "an esp partition must be mounted at /boot/efi");
        }
      }
      if (partition != null
          && "bios-grub".equals(partition.type())
          && (fs.type() != null || mount != null)) {
        problems.add(at, "a bios-grub partition holds no filesystem and no mount point");
      }
      if (fs.btrfs() != null) {
        btrfs(at + ".btrfs", fs, partition, mountPaths);
      }
    }
  }

  private void mountPoint(
      String at, MountPoint mount, @Nullable Partition partition, Map<String, String> mountPaths) {
    String path = mount.path();
    if (path == null || !path.startsWith("/")) {
      problems.add(at + ".path", "must be an absolute path");
    } else if (path.chars()
        .anyMatch(c -> c == ' ' || c == '\t' || c == '\n' || c == ':' || c == ',')) {
      problems.add(at + ".path", "must not contain spaces, tabs, newlines, ':' or ','");
    } else {
      String previous = mountPaths.putIfAbsent(path, at);
      if (previous != null) {
        problems.add(at + ".path", "mount point " + path + " is also used by " + previous);
      }
    }
    if (mount.options() != null && mount.options().chars().anyMatch(Character::isWhitespace)) {
      problems.add(at + ".options", "must not contain whitespace");
    }
    if (mount.idType() == MountIdType.PART_LABEL && partition != null && blank(partition.label())) {
      problems.add(at + ".idType", "part-label needs the partition to have a label");
    }
  }

  /** The tool names each btrfs mount's subvolume itself (fstab, kernel command line). */
  private void noSubvolOption(String at, MountPoint mount) {
    if (mount.options() == null) {
      return;
    }
    for (String option : mount.options().split(",")) {
      if (option.startsWith("subvol=") || option.startsWith("subvolid=")) {
        problems.add(
            at,
            "must not set " + option.substring(0, option.indexOf('=') + 1),
            "the tool adds subvol= for each subvolume's mount; give the subvolume in btrfs.subvolumes");
        return;
      }
    }
  }

  private void btrfs(
      String at, FileSystem fs, @Nullable Partition partition, Map<String, String> mountPaths) {
    if (fs.type() != FileSystem.Type.BTRFS) {
      problems.add(at, "is only valid for a filesystem of type btrfs");
    }
    List<FileSystem.Subvolume> subvolumes = fs.btrfs().subvolumes();
    if (fs.mountPoint() != null && !subvolumes.isEmpty()) {
      problems.add(
          at.substring(0, at.length() - ".btrfs".length()) + ".mountPoint",
          "cannot be set when btrfs.subvolumes is not empty",
          "mount the subvolumes instead: btrfs.subvolumes[].mountPoint");
    }
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < subvolumes.size(); i++) {
      String s = at + ".subvolumes[" + i + "]";
      FileSystem.Subvolume subvolume = subvolumes.get(i);
      String pathProblem = subvolumePathProblem(subvolume.path());
      if (pathProblem != null) {
        problems.add(
            s + ".path",
            pathProblem,
            "a path inside the filesystem's top level, such as root or root/var/log");
      } else if (!paths.add(subvolume.path())) {
        problems.add(s + ".path", "duplicate subvolume " + subvolume.path());
      }
      if (subvolume.mountPoint() != null) {
        mountPoint(s + ".mountPoint", subvolume.mountPoint(), partition, mountPaths);
        noSubvolOption(s + ".mountPoint.options", subvolume.mountPoint());
      }
      if (subvolume.quota() != null) {
        quotaLimit(s + ".quota.referencedLimit", subvolume.quota().referencedLimit());
        quotaLimit(s + ".quota.exclusiveLimit", subvolume.quota().exclusiveLimit());
      }
    }
    mountLoops(at, subvolumes);
  }

  static @Nullable String subvolumePathProblem(@Nullable String path) {
    if (blank(path)) {
      return "must not be empty";
    }
    if (path.startsWith("/")) {
      return "must not start with '/'";
    }
    if (path.endsWith("/")) {
      return "must not end with '/'";
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty()) {
        return "must not contain '//'";
      }
      if (part.equals(".") || part.equals("..")) {
        return "must not contain '" + part + "' components";
      }
    }
    return null;
  }

  private void quotaLimit(String at, @Nullable String limit) {
    if (limit == null) {
      return;
    }
    problems
        .value(at, DiskSize.parse(limit))
        .filter(size -> size.bytes() == 0)
        .ifPresent(
            zero -> problems.add(at, "must be greater than zero", "leave it out for no limit"));
  }

  /**
   * A subvolume nested in another but mounted above it makes a loop: path var at /var/log and
   * var/log at /var shows /var/log/log/... for ever.
   */
  private void mountLoops(String at, List<FileSystem.Subvolume> subvolumes) {
    for (int a = 0; a < subvolumes.size(); a++) {
      for (int b = 0; b < subvolumes.size(); b++) {
        FileSystem.Subvolume outer = subvolumes.get(a);
        FileSystem.Subvolume inner = subvolumes.get(b);
        if (a == b
            || outer.mountPoint() == null
            || inner.mountPoint() == null
            || outer.path() == null
            || inner.path() == null
            || outer.mountPoint().path() == null
            || inner.mountPoint().path() == null) {
          continue;
        }
        boolean nested = inner.path().startsWith(outer.path() + "/");
        String outerMount = Path.of(outer.mountPoint().path()).normalize().toString();
        String innerMount = Path.of(inner.mountPoint().path()).normalize().toString();
        if (nested && outerMount.startsWith(innerMount.equals("/") ? "/" : innerMount + "/")) {
          problems.add(
              at + ".subvolumes[" + b + "].mountPoint.path",
              "makes a mount loop: subvolume "
                  + inner.path()
                  + " lies inside "
                  + outer.path()
                  + " (mounted at "
                  + outer.mountPoint().path()
                  + ") but is mounted above it",
              "mount nested subvolumes below their parent's mount point");
        }
      }
    }
  }

  private boolean hardReset() {
    Os os = config.os();
    return os != null
        && os.bootloader() != null
        && os.bootloader().resetType() == Os.ResetType.HARD_RESET;
  }
}
