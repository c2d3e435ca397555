package io.imagecustomizer.customize.steps;

import io.imagecustomizer.boot.BiosGrub;
import io.imagecustomizer.boot.DeviceNodes;
import io.imagecustomizer.boot.GrubConfig;
import io.imagecustomizer.boot.ImagePrograms;
import io.imagecustomizer.boot.MainGrubConfig;
import io.imagecustomizer.config.Os;
import io.imagecustomizer.config.Storage;
import io.imagecustomizer.customize.BootDisk;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.image.AttachedPartition;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.image.mount.FstabEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code os.bootloader.resetType: hard-reset}: the grub configuration is generated afresh by the
 * image's own grub-mkconfig (or grub2-mkconfig) from an /etc/default/grub that carries the config's
 * kernel arguments, and every grub.cfg on the ESP becomes a redirect to the /boot of this disk. The
 * root device is named the way the image's fstab names it, so a new layout's {@code idType} reaches
 * the kernel command line too. A root on a btrfs subvolume gets {@code rootflags=subvol=...}, from
 * the image's scripts or else from us, and grub's paths on that filesystem start at its top level.
 * With {@code storage.bootType: legacy} grub is also installed for BIOS firmware ({@link
 * BiosGrub}).
 */
public final class BootLoaderResetStep implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(BootLoaderResetStep.class);
  private static final List<String> MKCONFIG = List.of("grub2-mkconfig", "grub-mkconfig");
  static final String DEFAULT_GRUB = "/etc/default/grub";
  private static final String DEVICE_MAPPER = "/dev/mapper/";
  // Debian's theme script cd's into /boot/grub under set -e, which an Azure Linux layout lacks.
  private static final String DEBIAN_THEME = "/etc/grub.d/05_debian_theme";

  @Override
  public String name() {
    return "boot loader reset";
  }

  @Override
  public Set<String> applies() {
    return Set.of("os.bootloader");
  }

  @Override
  public boolean perConfig() {
    return false;
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return isHardReset(context);
  }

  static boolean isHardReset(CustomizeContext context) {
    return context
        .os()
        .map(Os::bootloader)
        .map(b -> b.resetType() == Os.ResetType.HARD_RESET)
        .orElse(false);
  }

  @Override
  public void run(CustomizeContext context) {
    ImageRoot root = context.root();
    String mkconfig = mkconfig(root);
    if (isLegacy(context)) {
      BiosGrub.requireTools(root);
    }
    BootDisk disk = context.disk();
    if (disk == null) {
      throw new ImageCustomizerException(
          "os.bootloader.resetType: hard-reset needs a disk image", "remove os.bootloader");
    }
    String config =
        MainGrubConfig.LOCATIONS.stream()
            .filter(root::exists)
            .findFirst()
            .orElse(mkconfig.startsWith("grub2") ? "/boot/grub2/grub.cfg" : "/boot/grub/grub.cfg");
    AttachedPartition rootFs = disk.image().mountedAt("/").orElseThrow();
    AttachedPartition bootFs = disk.image().mountedAt("/boot").orElse(rootFs);
    RootName rootName = RootName.of(root, rootFs);
    Optional<String> rootSubvolume = disk.image().subvolumeAt("/");
    List<String> args = context.os().orElseThrow().extraCommandLine();
    String defaults = defaultGrub(args, rootName.kind());
    root.write(
        DEFAULT_GRUB,
        (defaults + devices(rootName, rootFs, bootFs)).getBytes(StandardCharsets.UTF_8),
        null);
    deviceNodes(disk, root);
    boolean themeOff = root.exists(DEBIAN_THEME) && !root.exists("/boot/grub");
    Set<PosixFilePermission> themeMode = themeOff ? mode(root, DEBIAN_THEME) : Set.of();
    try {
      if (themeOff) {
        setMode(
            root,
            DEBIAN_THEME,
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
      }
      LOG.info("Regenerating {} with the image's {}", config, mkconfig);
      context
          .shell()
          .run(
              "regenerate the grub configuration",
              List.of(mkconfig, "-o", config),
              Map.of("GRUB_DISABLE_OS_PROBER", "true"),
              null);
    } finally {
      // The probed device names are for this run only: the booted system probes its own.
      root.write(DEFAULT_GRUB, defaults.getBytes(StandardCharsets.UTF_8), null);
      if (themeOff) {
        setMode(root, DEBIAN_THEME, themeMode);
      }
    }
    if (rootSubvolume.isPresent()) {
      GrubConfig generated = GrubConfig.parse(root.readString(config));
      if (!namesRootSubvolume(generated, rootSubvolume.get())) {
        // This image's 10_linux does not name a btrfs root's subvolume; its own runs must, too.
        LOG.info("Adding {} to {}", rootFlagsArg(rootSubvolume.get()), config);
        GrubConfig flagged = rootFlags(generated, rootSubvolume.get());
        root.write(config, flagged.text().getBytes(StandardCharsets.UTF_8), null);
        List<String> withFlags = new ArrayList<>(args);
        withFlags.add(rootFlagsArg(rootSubvolume.get()));
        root.write(
            DEFAULT_GRUB,
            defaultGrub(withFlags, rootName.kind()).getBytes(StandardCharsets.UTF_8),
            null);
      }
    }
    List<String> expected = new ArrayList<>(List.of(rootName.kernelArg()));
    rootSubvolume.ifPresent(subvolume -> expected.add(rootFlagsArg(subvolume)));
    check(root, config, mkconfig, expected);
    String bootMount = bootFs.equals(rootFs) ? "/" : "/boot";
    Optional<String> bootSubvolume = disk.image().subvolumeAt(bootMount);
    String folder = config.substring(0, config.lastIndexOf('/'));
    String onBootFs = grubPath(folder, bootMount, bootSubvolume);
    if (isLegacy(context)) {
      BiosGrub.install(
          root,
          context.shell(),
          disk.runner(),
          disk.image().rawFile(),
          config,
          onBootFs + "/grub.cfg");
    }
    redirectEsp(disk, bootFs, onBootFs, config, !isLegacy(context));
  }

  /** Whether the new layout boots with BIOS firmware. */
  private static boolean isLegacy(CustomizeContext context) {
    return context.config().storage().bootType() == Storage.BootType.LEGACY;
  }

  /**
   * Every kernel line with the root's subvolume as its mount flag (in place when a line has one):
   * without it the kernel mounts the filesystem's default subvolume, which holds no /sbin/init.
   */
  static GrubConfig rootFlags(GrubConfig grub, String subvolume) {
    return grub.setArg("rootflags", "subvol=" + subvolume);
  }

  /** Whether every kernel line names the subvolume already (Debian's and Fedora's 10_linux do). */
  static boolean namesRootSubvolume(GrubConfig grub, String subvolume) {
    return grub.kernelArgs().stream().allMatch(args -> args.contains(rootFlagsArg(subvolume)));
  }

  static String rootFlagsArg(String subvolume) {
    return "rootflags=subvol=" + subvolume;
  }

  private static String mkconfig(ImageRoot root) {
    return ImagePrograms.first(root, MKCONFIG)
        .orElseThrow(
            () ->
                new ImageCustomizerException(
                    "os.bootloader.resetType: hard-reset needs grub2-mkconfig or grub-mkconfig in"
                        + " the image, and it has neither",
                    "install it in the image with os.packages.install: grub2-tools-minimal on"
                        + " Azure Linux and Fedora, grub2-common on Debian and Ubuntu"));
  }

  /** How the kernel is told its root: as the image's fstab names /. */
  record RootName(String kind, String value) {
    static RootName of(ImageRoot root, AttachedPartition rootFs) {
      Optional<FstabEntry> entry =
          FstabEntry.parse(root.readString("/etc/fstab")).stream()
              .filter(e -> e.target().equals("/"))
              .findFirst();
      String kind = entry.map(FstabEntry::sourceKind).orElse("UUID");
      return switch (kind) {
        case "PARTUUID" -> new RootName(kind, rootFs.partition().uuid());
        case "PARTLABEL" -> new RootName(kind, rootFs.partition().name());
        // A verity root: the initramfs opens the device under this name (storage.verity).
        case "DEVICE" ->
            entry.get().source().startsWith(DEVICE_MAPPER)
                ? new RootName(kind, entry.get().source())
                : uuid(rootFs);
        default -> uuid(rootFs);
      };
    }

    private static RootName uuid(AttachedPartition rootFs) {
      return new RootName("UUID", rootFs.fsUuid().toLowerCase(Locale.ROOT));
    }

    /** The root= value 10_linux writes for this name. */
    String kernelArg() {
      return switch (kind) {
        case "PARTUUID" -> "root=PARTUUID=" + value;
        case "PARTLABEL" -> "root=/dev/disk/by-partlabel/" + value;
        case "DEVICE" -> "root=" + value;
        default -> "root=UUID=" + value;
      };
    }
  }

  /**
   * The image's /etc/default/grub as a hard reset leaves it, read again by later grub-mkconfig
   * runs.
   */
  static String defaultGrub(List<String> args, String rootKind) {
    StringBuilder text =
        new StringBuilder(
            "# Written by imagecustomizer (os.bootloader.resetType: hard-reset).\n"
                + "GRUB_TIMEOUT=0\n"
                + "GRUB_DISABLE_SUBMENU=y\n"
                + "GRUB_DISABLE_RECOVERY=true\n"
                + "GRUB_DISABLE_OS_PROBER=true\n"
                + "GRUB_TERMINAL=console\n");
    text.append("GRUB_CMDLINE_LINUX=\"").append(shellQuoted(String.join(" ", args))).append("\"\n");
    // 10_linux names the root by filesystem UUID unless told otherwise.
    text.append("GRUB_DISABLE_LINUX_UUID=").append(!rootKind.equals("UUID")).append('\n');
    text.append("GRUB_DISABLE_LINUX_PARTUUID=").append(!rootKind.equals("PARTUUID")).append('\n');
    return text.toString();
  }

  /**
   * What grub-mkconfig would probe, given outright for this run: inside the chroot the partitions
   * are loop devices over a file, which grub's scripts take for loop-mounted files and skip.
   */
  private static String devices(RootName name, AttachedPartition rootFs, AttachedPartition bootFs) {
    String rootDevice =
        switch (name.kind()) {
          case "PARTUUID" -> "/dev/disk/by-partuuid/" + name.value();
          case "PARTLABEL" -> "/dev/disk/by-partlabel/" + name.value();
          case "DEVICE" -> name.value();
          default -> "/dev/disk/by-uuid/" + name.value();
        };
    // Without the UUIDs 10_linux writes root=GRUB_DEVICE as it is.
    boolean byPath = name.kind().equals("PARTLABEL") || name.kind().equals("DEVICE");
    return "# The devices of this run, removed again once grub.cfg is written.\n"
        + "GRUB_DEVICE="
        + rootDevice
        + "\nGRUB_DEVICE_UUID="
        + (byPath ? "" : rootFs.fsUuid().toLowerCase(Locale.ROOT))
        + "\nGRUB_DEVICE_PARTUUID="
        + (byPath ? "" : rootFs.partition().uuid())
        + "\nGRUB_DEVICE_BOOT=/dev/disk/by-uuid/"
        + bootFs.fsUuid().toLowerCase(Locale.ROOT)
        + "\nGRUB_DEVICE_BOOT_UUID="
        + bootFs.fsUuid().toLowerCase(Locale.ROOT)
        + "\n";
  }

  /**
   * Node and /dev/disk links of every partition in the chroot's own /dev, so grub-probe finds the
   * devices its mount table names.
   */
  private static void deviceNodes(BootDisk disk, ImageRoot root) {
    Path dev = root.hostPath().resolve("dev");
    for (AttachedPartition partition : disk.image().partitions()) {
      String name = DeviceNodes.make(disk.runner(), root, partition.device());
      link(dev, "by-uuid", partition.fsUuid().toLowerCase(Locale.ROOT), name);
      link(dev, "by-partuuid", partition.partition().uuid(), name);
      link(dev, "by-partlabel", partition.partition().name(), name);
    }
  }

  private static void link(Path dev, String folder, String id, String device) {
    if (id.isEmpty() || id.contains("/")) {
      return;
    }
    try {
      Path link = dev.resolve("disk").resolve(folder).resolve(id);
      Files.createDirectories(link.getParent());
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, Path.of("../../" + device));
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot link " + device + " in the image's /dev", e);
    }
  }

  private static void check(ImageRoot root, String config, String mkconfig, List<String> expected) {
    List<List<String>> entries = GrubConfig.parse(root.readString(config)).kernelArgs();
    List<String> wrong = new ArrayList<>();
    for (List<String> args : entries) {
      if (!args.containsAll(expected)) {
        wrong.add(String.join(" ", args));
      }
    }
    if (entries.isEmpty() || !wrong.isEmpty()) {
      throw new ImageCustomizerException(
          mkconfig
              + " wrote "
              + config
              + (entries.isEmpty()
                  ? " without a boot entry"
                  : " with kernel lines lacking " + String.join(" or ", expected) + ": " + wrong),
          "check that the image has a kernel in /boot and that /etc/grub.d is the distribution's");
    }
  }

  /**
   * Points every grub.cfg on the ESP (when the layout has one; a BIOS-only layout needs none)
   * (Azure Linux keeps one at /boot/grub2, Debian at /EFI/debian) at the regenerated config, found
   * by its filesystem's UUID; the ESP's shim and grub are the image's own, as they came.
   */
  private static void redirectEsp(
      BootDisk disk, AttachedPartition bootFs, String onBootFs, String config, boolean needed) {
    Optional<FatImage> esp = disk.esp();
    if (esp.isEmpty()) {
      if (needed) {
        LOG.warn("The image has no ESP; only {} was regenerated", config);
      }
      return;
    }
    String redirect =
        "search -n -u "
            + bootFs.fsUuid().toLowerCase(Locale.ROOT)
            + " -s\nset prefix=($root)\""
            + onBootFs
            + "\"\nconfigfile $prefix/grub.cfg\n";
    FatImage fat = esp.get();
    List<String> entries = fat.list();
    List<String> configs =
        entries.stream().filter(f -> f.toLowerCase(Locale.ROOT).endsWith("/grub.cfg")).toList();
    try {
      Files.writeString(disk.scratch(), redirect, StandardCharsets.UTF_8);
      if (configs.isEmpty()) {
        // Azure Linux's grub reads the ESP's /boot/grub2/grub.cfg.
        for (String dir : List.of("/boot", "/boot/grub2")) {
          if (FatImage.find(entries, dir + "/").isEmpty()) {
            fat.mkdirs(dir);
          }
        }
      }
      for (String path : configs.isEmpty() ? List.of("/boot/grub2/grub.cfg") : configs) {
        fat.replace(disk.scratch(), path);
      }
      Files.delete(disk.scratch());
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write " + disk.scratch(), e);
    }
  }

  /**
   * The path grub reads {@code folder} of the OS at on the filesystem mounted at {@code mount}:
   * grub's btrfs paths start at the top level, not at the subvolume the OS mounts.
   */
  static String grubPath(String folder, String mount, Optional<String> subvolume) {
    String onFs = mount.equals("/") ? folder : folder.substring(mount.length());
    return subvolume.map(s -> "/" + s + onFs).orElse(onFs);
  }

  /** Escapes what a double-quoted shell string would expand. */
  private static String shellQuoted(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`");
  }

  private static Set<PosixFilePermission> mode(ImageRoot root, String path) {
    try {
      return Files.getPosixFilePermissions(root.resolve(path));
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read the mode of " + path, e);
    }
  }

  private static void setMode(ImageRoot root, String path, Set<PosixFilePermission> mode) {
    try {
      Files.setPosixFilePermissions(root.resolve(path), mode);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot change the mode of " + path, e);
    }
  }
}
