package io.imagecustomizer.config;

import static io.imagecustomizer.config.Checks.blank;

import io.imagecustomizer.config.yaml.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The rules of {@code os}: packages, users, files and folders, modules, overlays, UKI. */
final class OsRules {
  private static final Pattern HOST_LABEL =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final int MAX_ID = 60000;

  private final Checks checks;
  private final Problems problems;
  private final LoadedConfig loaded;

  OsRules(Checks checks) {
    this.checks = checks;
    this.problems = checks.problems();
    this.loaded = checks.loaded();
  }

  void check(Os os) {
    if (os.hostname() != null && !validHostname(os.hostname())) {
      problems.add(
          "os.hostname",
          "\"" + os.hostname() + "\" is not a valid hostname",
          "use letters, digits and '-' in dot-separated labels of at most 63 characters");
    }
    if (os.packages() != null) {
      packages(os.packages());
    }
    checks.kernelArgs("os.kernelCommandLine.extraCommandLine", os.extraCommandLine());
    checks.additionalFiles("os.additionalFiles", os.additionalFiles(), true);
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
      checks.needsPreview("os.uki", PreviewFeature.UKI);
      if (os.uki().mode() == null) {
        problems.add("os.uki.mode", "must be given: create, passthrough or modify");
      } else {
        uki(os, os.uki().mode());
      }
    }
  }

  /**
   * What each UKI mode cannot go with: upstream's rules (a UKI kept or only its addon changed
   * cannot take a new boot loader config, verity or overlays; a kept one no command-line change at
   * all), and what this version does not put into a UKI yet (verity root hashes, SELinux arguments
   * into an addon).
   */
  private void uki(Os os, Os.UkiMode mode) {
    String name = mode.name().toLowerCase(Locale.ROOT);
    Storage storage = checks.config().storage();
    boolean keeps = mode != Os.UkiMode.CREATE;
    if (keeps
        && os.bootloader() != null
        && os.bootloader().resetType() == Os.ResetType.HARD_RESET) {
      ukiConflict("os.bootloader.resetType", name, "a new grub config would never be booted");
    }
    if (keeps && !os.overlays().isEmpty()) {
      ukiConflict("os.overlays", name, "overlays need a new initramfs, which the UKIs hold");
    }
    if (mode == Os.UkiMode.PASSTHROUGH && !os.extraCommandLine().isEmpty()) {
      ukiConflict(
          "os.kernelCommandLine.extraCommandLine",
          name,
          "a kept UKI keeps its command line; use mode 'modify' to change it");
    }
    if (mode == Os.UkiMode.PASSTHROUGH && os.selinuxMode() != null) {
      ukiConflict("os.selinux.mode", name, "the SELinux kernel arguments would not reach the UKIs");
    }
    if (keeps && !storage.verity().isEmpty()) {
      ukiConflict("storage.verity", name, "new verity devices need a new UKI command line");
    }
    if (mode == Os.UkiMode.PASSTHROUGH
        && storage.reinitializeVerity() == Storage.ReinitializeVerity.ALL) {
      ukiConflict(
          "storage.reinitializeVerity", name, "new root hashes would not reach the kept UKIs");
    }
  }

  private void ukiConflict(String field, String mode, String why) {
    problems.add(field, "cannot be used with os.uki.mode '" + mode + "': " + why);
  }

  private void packages(Packages packages) {
    names("os.packages.install", packages.install());
    names("os.packages.remove", packages.remove());
    names("os.packages.update", packages.update());
    packageLists("os.packages.installLists", packages.installLists());
    packageLists("os.packages.removeLists", packages.removeLists());
    packageLists("os.packages.updateLists", packages.updateLists());
    if (packages.snapshotTime() != null) {
      checks.needsPreview("os.packages.snapshotTime", PreviewFeature.PACKAGE_SNAPSHOT_TIME);
      if (SnapshotTime.parse(packages.snapshotTime()) == null) {
        problems.add(
            "os.packages.snapshotTime",
            "\"" + packages.snapshotTime() + "\" is not a date",
            SnapshotTime.HINT);
      }
    }
    if (packages.removePackageManager() != null) {
      checks.needsPreview(
          "os.packages.removePackageManager", PreviewFeature.REMOVE_PACKAGE_MANAGER);
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
      if (checks.fileExists(item, file, "package list")) {
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
        checks.existingFile(at + ".password.value", password.value(), "password file");
      }
    }
    Long expires = user.passwordExpiresDays();
    if (expires != null && (expires < -1 || expires > 99999)) {
      problems.add(at + ".passwordExpiresDays", "must be between -1 (never) and 99999");
    }
    for (int i = 0; i < user.sshPublicKeyPaths().size(); i++) {
      checks.existingFile(
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
      for (int d = 0; d < overlay.mountDependencies().size(); d++) {
        overlayPath(at + ".mountDependencies[" + d + "]", overlay.mountDependencies().get(d));
      }
      if (overlay.mountOptions() != null
          && overlay.mountOptions().chars().anyMatch(c -> c == ' ' || c == '\t' || c == '\n')) {
        problems.add(at + ".mountOptions", "must not contain spaces, tabs or newlines");
      }
      if (Boolean.TRUE.equals(overlay.isInitrdOverlay())) {
        initrdDependencies(at, overlay);
      }
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

  /**
   * Upstream's check of an initramfs overlay's dependencies, made before any work when this config
   * gives the new layout's mounts (otherwise the overlays step makes it on the image's fstab): each
   * must be a mount with {@code x-initrd.mount}, since only those exist in the initramfs.
   */
  private void initrdDependencies(String at, Overlay overlay) {
    List<MountPoint> mounts = new ArrayList<>();
    for (FileSystem fs : loaded.config().storage().filesystems()) {
      if (fs.mountPoint() != null) {
        mounts.add(fs.mountPoint());
      }
      if (fs.btrfs() != null) {
        fs.btrfs().subvolumes().stream()
            .map(FileSystem.Subvolume::mountPoint)
            .filter(Objects::nonNull)
            .forEach(mounts::add);
      }
    }
    if (mounts.isEmpty()) {
      return;
    }
    for (int d = 0; d < overlay.mountDependencies().size(); d++) {
      String dependency = overlay.mountDependencies().get(d);
      Optional<MountPoint> mount =
          mounts.stream().filter(m -> dependency.equals(m.path())).findFirst();
      if (mount.isEmpty()) {
        problems.add(
            at + ".mountDependencies[" + d + "]",
            dependency + " is not a mount point of storage.filesystems",
            "an initramfs overlay can only depend on mounts the initramfs makes");
      } else if (mount.get().options() == null
          || !List.of(mount.get().options().split(",")).contains("x-initrd.mount")) {
        problems.add(
            at + ".mountDependencies[" + d + "]",
            "the mount of " + dependency + " needs the option x-initrd.mount",
            "the initramfs mounts only those; add it to its mountPoint.options");
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

  private void additionalDirs(List<DirConfig> dirs) {
    for (int i = 0; i < dirs.size(); i++) {
      String at = "os.additionalDirs[" + i + "]";
      DirConfig dir = dirs.get(i);
      if (blank(dir.source())) {
        problems.add(at + ".source", "must not be empty");
      } else if (checks.checkFiles() && !Files.isDirectory(loaded.resolve(dir.source()))) {
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
        checks.destination(at + ".destination", dir.destination(), false);
      }
      checks.permissions(at + ".newDirPermissions", dir.newDirPermissions());
      checks.permissions(at + ".mergedDirPermissions", dir.mergedDirPermissions());
      checks.permissions(at + ".childFilePermissions", dir.childFilePermissions());
    }
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
}
