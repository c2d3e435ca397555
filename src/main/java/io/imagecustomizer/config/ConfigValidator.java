package io.imagecustomizer.config;

import io.imagecustomizer.config.yaml.Problem;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The semantic checks of a config, in one place: everything the upstream tool rejects, and a few
 * things it silently gets wrong (relative or {@code ..} destinations). Knows nothing of images or
 * processes; with {@code checkFiles} it also checks that the files the config names exist.
 */
public final class ConfigValidator {
  private static final Pattern PERMISSIONS = Pattern.compile("[0-7]{3,4}");
  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern HOST_LABEL =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern VERITY_NAME = Pattern.compile("[a-z]+");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern AZURE_LINUX_VARIANT =
      Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*");
  private static final Pattern AZURE_LINUX_VERSION = Pattern.compile("\\d+\\.\\d+(\\.\\d+)?");
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
  private static final List<String> URL_SCHEMES = List.of("ftp", "http", "https", "nfs", "tftp");
  private static final int MAX_ID = 60000;

  private final LoadedConfig loaded;
  private final Config config;
  private final boolean checkFiles;
  private final Problems problems;

  private ConfigValidator(LoadedConfig loaded, boolean checkFiles) {
    this.loaded = loaded;
    this.config = loaded.config();
    this.checkFiles = checkFiles;
    this.problems = new Problems(loaded);
  }

  /** Every problem of the config (structural ones included), in file order. */
  public static Problems validate(LoadedConfig loaded, boolean checkFiles) {
    ConfigValidator validator = new ConfigValidator(loaded, checkFiles);
    validator.run();
    return validator.problems;
  }

  private void run() {
    input(config.input());
    storage(config.storage());
    if (config.iso() != null) {
      iso(config.iso());
    }
    if (config.pxe() != null) {
      pxe(config.pxe());
    }
    if (config.os() != null) {
      os(config.os());
    }
    scripts(config.scripts());
    output(config.output());
    baseConfigs();
    liveOsSelinux();
  }

  private void input(Input input) {
    InputImage image = input.image();
    int given =
        (image.path() != null ? 1 : 0)
            + (image.oci() != null ? 1 : 0)
            + (image.azureLinux() != null ? 1 : 0);
    if (given > 1) {
      problems.add("input.image", "must only specify one of 'path', 'oci' and 'azureLinux'");
    }
    if (image.path() != null && image.path().isBlank()) {
      problems.add("input.image.path", "must not be empty");
    }
    if (image.oci() != null) {
      needsPreview("input.image.oci", PreviewFeature.INPUT_IMAGE_OCI);
      if (blank(image.oci().uri())) {
        problems.add("input.image.oci.uri", "must not be empty");
      }
    }
    AzureLinuxImage azl = image.azureLinux();
    if (azl != null) {
      if (azl.variant() == null || !AZURE_LINUX_VARIANT.matcher(azl.variant()).matches()) {
        problems.add(
            "input.image.azureLinux.variant",
            "must be an image variant name such as \"minimal-os\"");
      }
      if (azl.version() == null || !AZURE_LINUX_VERSION.matcher(azl.version()).matches()) {
        problems.add(
            "input.image.azureLinux.version", "must be MAJOR.MINOR or MAJOR.MINOR.DATE, e.g. 3.0");
      }
    }
  }

  private void storage(Storage storage) {
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
      needsPreview("storage.reinitializeVerity", PreviewFeature.REINITIALIZE_VERITY);
    }
    Map<String, Partition> partitions = new HashMap<>();
    for (int d = 0; d < storage.disks().size(); d++) {
      disk("storage.disks[" + d + "]", storage.disks().get(d), partitions);
    }
    Set<String> deviceIds = new HashSet<>(partitions.keySet());
    for (int v = 0; v < storage.verity().size(); v++) {
      String at = "storage.verity[" + v + "]";
      Verity verity = storage.verity().get(v);
      verity(at, verity, hasDisks);
      if (!blank(verity.id()) && !deviceIds.add(verity.id())) {
        problems.add(at + ".id", "duplicate id \"" + verity.id() + "\"");
      }
    }
    filesystems(storage, partitions, deviceIds);
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

  private void disk(String at, Disk disk, Map<String, Partition> partitions) {
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
    DiskLayout.plan(at, disk, problems::add);
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
    if (verity.hashSignaturePath() != null) {
      needsPreview(at + ".hashSignaturePath", PreviewFeature.OUTPUT_ARTIFACTS);
      String path = verity.hashSignaturePath();
      if (!path.startsWith("/boot/") || !Path.of(path).normalize().toString().equals(path)) {
        problems.add(at + ".hashSignaturePath", "must be a normalized absolute path under /boot/");
      }
    }
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
    } else if (existing != null && blank(existing.id())) {
      problems.add(at + "." + field + ".id", "must not be empty");
    }
  }

  private void filesystems(Storage storage, Map<String, Partition> partitions, Set<String> ids) {
    Set<String> usedDevices = new HashSet<>();
    Map<String, String> mountPaths = new HashMap<>();
    for (int i = 0; i < storage.filesystems().size(); i++) {
      String at = "storage.filesystems[" + i + "]";
      FileSystem fs = storage.filesystems().get(i);
      if (blank(fs.deviceId())) {
        problems.add(at + ".deviceId", "must not be empty");
      } else if (!ids.contains(fs.deviceId())) {
        problems.add(
            at + ".deviceId", "no partition or verity device has id \"" + fs.deviceId() + "\"");
      } else if (!usedDevices.add(fs.deviceId())) {
        problems.add(
            at + ".deviceId", "device \"" + fs.deviceId() + "\" is used by another filesystem");
      }
      if (fs.type() == FileSystem.Type.BTRFS || fs.btrfs() != null) {
        needsPreview(at + ".type", PreviewFeature.BTRFS);
      }
      MountPoint mount = fs.mountPoint();
      if (mount != null) {
        if (fs.type() == null) {
          problems.add(at + ".type", "must be given when the filesystem has a mount point");
        }
        mountPoint(at + ".mountPoint", mount, mountPaths);
        Partition partition = fs.deviceId() == null ? null : partitions.get(fs.deviceId());
        if (mount.idType() == MountIdType.PART_LABEL
            && partition != null
            && blank(partition.label())) {
          problems.add(at + ".mountPoint.idType", "part-label needs the partition to have a label");
        }
      }
      Partition partition = fs.deviceId() == null ? null : partitions.get(fs.deviceId());
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
        btrfs(at + ".btrfs", fs, mountPaths);
      }
    }
  }

  private void mountPoint(String at, MountPoint mount, Map<String, String> mountPaths) {
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
  }

  private void btrfs(String at, FileSystem fs, Map<String, String> mountPaths) {
    if (fs.type() != FileSystem.Type.BTRFS) {
      problems.add(at, "needs the filesystem type btrfs");
    }
    if (fs.mountPoint() != null && !fs.btrfs().subvolumes().isEmpty()) {
      problems.add(at, "a btrfs filesystem with subvolumes cannot have its own mount point");
    }
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < fs.btrfs().subvolumes().size(); i++) {
      String s = at + ".subvolumes[" + i + "]";
      FileSystem.Subvolume subvolume = fs.btrfs().subvolumes().get(i);
      String path = subvolume.path();
      if (blank(path)
          || path.startsWith("/")
          || path.endsWith("/")
          || path.contains("//")
          || List.of(path.split("/")).stream().anyMatch(p -> p.equals(".") || p.equals(".."))) {
        problems.add(
            s + ".path", "must be a relative path without '.', '..', '//' or edge slashes");
      } else if (!paths.add(path)) {
        problems.add(s + ".path", "duplicate subvolume " + path);
      }
      if (subvolume.mountPoint() != null) {
        mountPoint(s + ".mountPoint", subvolume.mountPoint(), mountPaths);
        String options = subvolume.mountPoint().options();
        if (options != null && (options.contains("subvol=") || options.contains("subvolid="))) {
          problems.add(
              s + ".mountPoint.options", "must not set subvol= or subvolid=; the tool does");
        }
      }
    }
  }

  private void iso(Iso iso) {
    kernelArgs("iso.kernelCommandLine.extraCommandLine", iso.extraCommandLine());
    additionalFiles("iso.additionalFiles", iso.additionalFiles(), false);
    if (iso.kdumpBootFiles() != null) {
      needsPreview("iso.kdumpBootFiles", PreviewFeature.KDUMP_BOOT_FILES);
    }
  }

  private void pxe(Pxe pxe) {
    kernelArgs("pxe.kernelCommandLine.extraCommandLine", pxe.extraCommandLine());
    additionalFiles("pxe.additionalFiles", pxe.additionalFiles(), false);
    if (pxe.kdumpBootFiles() != null) {
      needsPreview("pxe.kdumpBootFiles", PreviewFeature.KDUMP_BOOT_FILES);
    }
    if (pxe.bootstrapBaseUrl() != null && pxe.bootstrapFileUrl() != null) {
      problems.add(
          "pxe.bootstrapFileUrl",
          "cannot specify both 'bootstrapBaseUrl' and 'bootstrapFileUrl'",
          "bootstrapBaseUrl is a folder the tool adds image.iso to; bootstrapFileUrl is the full URL");
    }
    if (pxe.initramfsType() == InitramfsType.FULL_OS) {
      for (String field : List.of("bootstrapBaseUrl", "bootstrapFileUrl")) {
        String url =
            field.equals("bootstrapBaseUrl") ? pxe.bootstrapBaseUrl() : pxe.bootstrapFileUrl();
        if (url != null) {
          problems.add(
              "pxe." + field,
              "cannot be used with initramfsType full-os",
              "full-os puts the whole OS in the initrd, so nothing is downloaded; use"
                  + " initramfsType: bootstrap");
        }
      }
    }
    url("pxe.bootstrapBaseUrl", pxe.bootstrapBaseUrl());
    url("pxe.bootstrapFileUrl", pxe.bootstrapFileUrl());
  }

  private void url(String at, @Nullable String url) {
    if (url == null) {
      return;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!URL_SCHEMES.contains(scheme)) {
        problems.add(
            at,
            "unsupported URL scheme in \"" + url + "\"",
            "use one of " + String.join(", ", URL_SCHEMES.stream().map(s -> s + "://").toList()));
      }
    } catch (URISyntaxException e) {
      problems.add(at, "not a valid URL: " + e.getReason());
    }
  }

  private void os(Os os) {
    if (os.hostname() != null && !validHostname(os.hostname())) {
      problems.add(
          "os.hostname",
          "\"" + os.hostname() + "\" is not a valid hostname",
          "use letters, digits and '-' in dot-separated labels of at most 63 characters");
    }
    if (os.packages() != null) {
      packages(os.packages());
    }
    kernelArgs("os.kernelCommandLine.extraCommandLine", os.extraCommandLine());
    additionalFiles("os.additionalFiles", os.additionalFiles(), true);
    additionalDirs(os.additionalDirs());
    for (int i = 0; i < os.groups().size(); i++) {
      Group group = os.groups().get(i);
      String at = "os.groups[" + i + "]";
      if (blank(group.name())) {
        problems.add(at + ".name", "must not be empty");
      }
      idRange(at + ".gid", group.gid());
    }
    for (int i = 0; i < os.users().size(); i++) {
      user("os.users[" + i + "]", os.users().get(i));
    }
    if (os.services() != null) {
      names("os.services.enable", os.services().enable());
      names("os.services.disable", os.services().disable());
      for (int i = 0; i < os.services().disable().size(); i++) {
        if (os.services().enable().contains(os.services().disable().get(i))) {
          problems.add(
              "os.services.disable[" + i + "]",
              "service \"" + os.services().disable().get(i) + "\" is also listed in enable");
        }
      }
    }
    modules(os.modules());
    overlays(os.overlays());
    if (os.uki() != null) {
      needsPreview("os.uki", PreviewFeature.UKI);
      if (os.uki().mode() == null) {
        problems.add("os.uki.mode", "must be given: create, passthrough or modify");
      }
    }
  }

  private void packages(Packages packages) {
    names("os.packages.install", packages.install());
    names("os.packages.remove", packages.remove());
    names("os.packages.update", packages.update());
    packageLists("os.packages.installLists", packages.installLists());
    packageLists("os.packages.removeLists", packages.removeLists());
    packageLists("os.packages.updateLists", packages.updateLists());
    if (packages.snapshotTime() != null) {
      needsPreview("os.packages.snapshotTime", PreviewFeature.PACKAGE_SNAPSHOT_TIME);
      if (!validSnapshotTime(packages.snapshotTime())) {
        problems.add(
            "os.packages.snapshotTime",
            "\"" + packages.snapshotTime() + "\" is not a date",
            "use YYYY-MM-DD or an RFC 3339 time such as 2024-05-20T23:59:59Z");
      }
    }
    if (packages.removePackageManager() != null) {
      needsPreview("os.packages.removePackageManager", PreviewFeature.REMOVE_PACKAGE_MANAGER);
    }
  }

  /**
   * Package lists are read whatever {@code checkFiles} says, as upstream does: their packages are
   * part of the config, not a resource of the run.
   */
  private void packageLists(String at, List<String> lists) {
    for (int i = 0; i < lists.size(); i++) {
      String item = at + "[" + i + "]";
      Path file = loaded.resolve(lists.get(i));
      if (fileExists(item, file, "package list")) {
        try {
          ConfigLoader.loadPackageList(file);
        } catch (ConfigException e) {
          for (Problem problem : e.problems()) {
            Problem bare = new Problem(problem.path(), problem.position(), problem.message(), null);
            problems.add(item, "package list " + bare.render(file.toString()), problem.hint());
          }
        }
      }
    }
  }

  private void user(String at, User user) {
    if (blank(user.name())) {
      problems.add(at + ".name", "must not be empty");
    }
    idRange(at + ".uid", user.uid());
    User.Password password = user.password();
    if (password != null) {
      if (password.type() == null) {
        problems.add(
            at + ".password.type",
            "must be given",
            "one of locked, plain-text, hashed, plain-text-file, hashed-file");
      } else if (password.type() == User.PasswordType.LOCKED) {
        if (!blank(password.value())) {
          problems.add(at + ".password.value", "must be empty for a locked password");
        }
      } else if (blank(password.value())) {
        problems.add(at + ".password.value", "must be given for a password of this type");
      } else if (password.type().isFile()) {
        existingFile(at + ".password.value", password.value(), "password file");
      }
    }
    Long expires = user.passwordExpiresDays();
    if (expires != null && (expires < -1 || expires > 99999)) {
      problems.add(at + ".passwordExpiresDays", "must be between -1 (never) and 99999");
    }
    for (int i = 0; i < user.sshPublicKeyPaths().size(); i++) {
      existingFile(
          at + ".sshPublicKeyPaths[" + i + "]", user.sshPublicKeyPaths().get(i), "key file");
    }
    names(at + ".sshPublicKeys", user.sshPublicKeys());
    names(at + ".secondaryGroups", user.secondaryGroups());
    if (user.homeDirectory() != null && !user.homeDirectory().startsWith("/")) {
      problems.add(at + ".homeDirectory", "must be an absolute path");
    }
  }

  private void modules(List<Module> modules) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < modules.size(); i++) {
      String at = "os.modules[" + i + "]";
      Module module = modules.get(i);
      if (blank(module.name())) {
        problems.add(at + ".name", "must not be empty");
      } else if (module.name().chars().anyMatch(Character::isWhitespace)) {
        problems.add(at + ".name", "must not contain whitespace");
      } else if (!seen.add(module.name())) {
        problems.add(at + ".name", "module \"" + module.name() + "\" is listed twice");
      }
      for (Map.Entry<String, String> option : module.options().entrySet()) {
        String o = at + ".options." + option.getKey();
        if (option.getKey().isBlank()
            || option.getKey().chars().anyMatch(Character::isWhitespace)) {
          problems.add(o, "option names must not be empty or contain whitespace");
        }
        if (option.getValue().isEmpty() || option.getValue().contains("\n")) {
          problems.add(o, "option values must not be empty or contain newlines");
        }
      }
      if (module.loadMode() == Module.LoadMode.DISABLE && !module.options().isEmpty()) {
        problems.add(at + ".options", "a disabled module takes no options");
      }
    }
  }

  private void overlays(List<Overlay> overlays) {
    Map<String, String> used = new HashMap<>();
    for (int i = 0; i < overlays.size(); i++) {
      String at = "os.overlays[" + i + "]";
      Overlay overlay = overlays.get(i);
      if (overlay.lowerDirs().isEmpty()) {
        problems.add(at + ".lowerDirs", "must list at least one directory");
      }
      for (int l = 0; l < overlay.lowerDirs().size(); l++) {
        overlayPath(at + ".lowerDirs[" + l + "]", overlay.lowerDirs().get(l));
      }
      overlayPath(at + ".upperDir", overlay.upperDir());
      overlayPath(at + ".workDir", overlay.workDir());
      overlayPath(at + ".mountPoint", overlay.mountPoint());
      String upper = overlay.upperDir();
      String work = overlay.workDir();
      if (upper != null && work != null) {
        if (upper.equals(work)) {
          problems.add(at + ".workDir", "must differ from upperDir");
        } else if (upper.startsWith(work + "/") || work.startsWith(upper + "/")) {
          problems.add(at + ".workDir", "upperDir and workDir must not be inside each other");
        }
      }
      for (String field : List.of("upperDir", "workDir", "mountPoint")) {
        String value =
            switch (field) {
              case "upperDir" -> upper;
              case "workDir" -> work;
              default -> overlay.mountPoint();
            };
        if (value != null) {
          String previous = used.putIfAbsent(field + ":" + value, at);
          if (previous != null) {
            problems.add(at + "." + field, value + " is also the " + field + " of " + previous);
          }
        }
      }
    }
  }

  private void overlayPath(String at, @Nullable String path) {
    if (path == null || !path.startsWith("/")) {
      problems.add(at, "must be an absolute path");
    } else if (path.chars()
        .anyMatch(c -> c == ' ' || c == '\t' || c == '\n' || c == ':' || c == ',')) {
      problems.add(at, "must not contain spaces, tabs, newlines, ':' or ','");
    }
  }

  private void scripts(Scripts scripts) {
    scriptList("scripts.postCustomization", scripts.postCustomization());
    scriptList("scripts.finalizeCustomization", scripts.finalizeCustomization());
  }

  private void scriptList(String list, List<Script> scripts) {
    for (int i = 0; i < scripts.size(); i++) {
      String at = list + "[" + i + "]";
      Script script = scripts.get(i);
      boolean hasPath = !blank(script.path());
      boolean hasContent = script.content() != null && !script.content().isEmpty();
      if (hasPath && hasContent) {
        problems.add(at, "path and content may not both be given");
      } else if (!hasPath && !hasContent) {
        problems.add(at, "either path or content must be given");
      }
      if (hasPath) {
        Path path = Path.of(script.path());
        if (path.isAbsolute() || path.normalize().startsWith("..")) {
          problems.add(
              at + ".path",
              "script file is not under the config file's folder",
              "scripts are reached inside the image through the config folder; move the script"
                  + " into "
                  + loaded.baseDir()
                  + " and use a relative path");
        } else {
          existingFile(at + ".path", script.path(), "script");
        }
      }
      if (script.interpreter() != null && script.interpreter().isBlank()) {
        problems.add(at + ".interpreter", "must not be empty");
      }
      for (String name : script.environmentVariables().keySet()) {
        if (!ENV_NAME.matcher(name).matches()) {
          problems.add(
              at + ".environmentVariables." + name,
              "\"" + name + "\" is not a valid environment variable name");
        }
      }
    }
  }

  private void output(Output output) {
    CosiConfig cosi = output.image().cosi();
    if (cosi != null && cosi.compression() != null && cosi.compression().level() != null) {
      int level = cosi.compression().level();
      if (level < 1 || level > 22) {
        problems.add("output.image.cosi.compression.level", "must be between 1 and 22");
      }
    }
    if (output.artifacts() != null) {
      needsPreview("output.artifacts", PreviewFeature.OUTPUT_ARTIFACTS);
      if (blank(output.artifacts().path()) || output.artifacts().items().isEmpty()) {
        problems.add("output.artifacts", "'items' and 'path' must both be given and not empty");
      }
    }
    if (output.selinuxPolicyPath() != null) {
      needsPreview("output.selinuxPolicyPath", PreviewFeature.OUTPUT_SELINUX_POLICY);
    }
    if (output.image().path() != null && output.image().path().isBlank()) {
      problems.add("output.image.path", "must not be empty");
    }
  }

  private void baseConfigs() {
    if (config.baseConfigs().isEmpty()) {
      return;
    }
    needsPreview("baseConfigs", PreviewFeature.BASE_CONFIGS);
    for (int i = 0; i < config.baseConfigs().size(); i++) {
      String path = config.baseConfigs().get(i).path();
      if (blank(path)) {
        problems.add("baseConfigs[" + i + "].path", "must not be empty");
      } else if (!Files.isRegularFile(loaded.resolve(path))) {
        problems.add(
            "baseConfigs[" + i + "].path",
            "base config " + loaded.resolve(path) + " does not exist",
            "relative paths are resolved against the config file's folder");
      }
    }
  }

  /** A full-os initrd is a CPIO archive, which cannot carry SELinux labels. */
  private void liveOsSelinux() {
    boolean fullOs =
        (config.iso() != null && config.iso().initramfsType() == InitramfsType.FULL_OS)
            || (config.pxe() != null && config.pxe().initramfsType() == InitramfsType.FULL_OS);
    Os os = config.os();
    if (fullOs
        && os != null
        && os.selinuxMode() != null
        && os.selinuxMode() != Os.SelinuxMode.DISABLED) {
      problems.add(
          "os.selinux.mode",
          "SELinux is not supported with initramfsType full-os",
          "set os.selinux.mode to disabled, or use initramfsType: bootstrap");
    }
  }

  private void kernelArgs(String at, List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).isBlank()) {
        problems.add(at + "[" + i + "]", "kernel argument must not be empty");
      }
    }
  }

  private void additionalFiles(String at, List<AdditionalFile> files, boolean mustBeAbsolute) {
    Map<String, Integer> destinations = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      String f = at + "[" + i + "]";
      AdditionalFile file = files.get(i);
      String destination = file.destination();
      if (blank(destination)) {
        problems.add(f + ".destination", "must not be empty");
      } else {
        destination(f + ".destination", destination, mustBeAbsolute);
        Integer previous =
            destinations.putIfAbsent(Path.of("/", destination).normalize().toString(), i);
        if (previous != null) {
          problems.add(
              f + ".destination",
              "duplicate destination " + destination + " (also " + at + "[" + previous + "])");
        }
      }
      if (file.source() != null && file.content() != null) {
        problems.add(f, "cannot specify both 'source' and 'content'");
      } else if (file.source() == null && file.content() == null) {
        problems.add(f, "must specify either 'source' or 'content'");
      } else if (file.source() != null) {
        existingFile(f + ".source", file.source(), "source file");
      }
      permissions(f + ".permissions", file.permissions());
    }
  }

  private void additionalDirs(List<DirConfig> dirs) {
    for (int i = 0; i < dirs.size(); i++) {
      String at = "os.additionalDirs[" + i + "]";
      DirConfig dir = dirs.get(i);
      if (blank(dir.source())) {
        problems.add(at + ".source", "must not be empty");
      } else if (checkFiles && !Files.isDirectory(loaded.resolve(dir.source()))) {
        problems.add(
            at + ".source",
            "source directory " + loaded.resolve(dir.source()) + " does not exist",
            "relative paths are resolved against the config file's folder");
      }
      if (blank(dir.destination())) {
        problems.add(at + ".destination", "must not be empty");
      } else {
        // A relative destination is under the image's root, as upstream's documented example
        // writes it.
        destination(at + ".destination", dir.destination(), false);
      }
      permissions(at + ".newDirPermissions", dir.newDirPermissions());
      permissions(at + ".mergedDirPermissions", dir.mergedDirPermissions());
      permissions(at + ".childFilePermissions", dir.childFilePermissions());
    }
  }

  private void destination(String at, String destination, boolean mustBeAbsolute) {
    if (mustBeAbsolute && !destination.startsWith("/")) {
      problems.add(at, "must be an absolute path", "e.g. /" + destination);
    }
    if (List.of(destination.split("/")).contains("..")) {
      problems.add(at, "must not contain '..'", "write the path without going up a folder");
    }
  }

  private void permissions(String at, @Nullable String permissions) {
    if (permissions == null) {
      return;
    }
    if (!PERMISSIONS.matcher(permissions).matches()) {
      problems.add(
          at, "\"" + permissions + "\" is not an octal mode", "write e.g. \"644\" or \"0755\"");
    } else if (Integer.parseInt(permissions, 8) > 0777) {
      problems.add(
          at,
          "\"" + permissions + "\" contains non-permission bits",
          "setuid, setgid and sticky bits cannot be set here; use a script");
    }
  }

  private void existingFile(String at, String path, String what) {
    if (checkFiles) {
      fileExists(at, loaded.resolve(path), what);
    }
  }

  private boolean fileExists(String at, Path file, String what) {
    if (!Files.exists(file)) {
      problems.add(
          at,
          what + " " + file + " does not exist",
          "relative paths are resolved against the config file's folder");
      return false;
    }
    if (!Files.isRegularFile(file)) {
      problems.add(at, what + " " + file + " is not a file");
      return false;
    }
    return true;
  }

  private void names(String at, List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).isBlank()) {
        problems.add(at + "[" + i + "]", "must not be empty");
      }
    }
  }

  private void idRange(String at, @Nullable Integer id) {
    if (id != null && (id < 0 || id > MAX_ID)) {
      problems.add(at, "must be between 0 and " + MAX_ID);
    }
  }

  private void needsPreview(String at, PreviewFeature feature) {
    if (!config.hasPreview(feature)) {
      problems.addAtKey(
          at,
          "needs the preview feature '" + feature + "'",
          "add it to previewFeatures: [" + feature + "]");
    }
  }

  private boolean hardReset() {
    Os os = config.os();
    return os != null
        && os.bootloader() != null
        && os.bootloader().resetType() == Os.ResetType.HARD_RESET;
  }

  private static boolean validHostname(String hostname) {
    if (hostname.isEmpty() || hostname.length() > 253) {
      return false;
    }
    for (String label : hostname.split("\\.", -1)) {
      if (!HOST_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  private static boolean validSnapshotTime(String text) {
    try {
      LocalDate.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      try {
        OffsetDateTime.parse(text);
        return true;
      } catch (DateTimeParseException again) {
        return false;
      }
    }
  }

  private static boolean blank(@Nullable String text) {
    return text == null || text.isBlank();
  }
}
