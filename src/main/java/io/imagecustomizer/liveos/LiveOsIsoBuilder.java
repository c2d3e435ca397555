package io.imagecustomizer.liveos;

import io.imagecustomizer.boot.GrubConfig;
import io.imagecustomizer.boot.Kernels;
import io.imagecustomizer.boot.MainGrubConfig;
import io.imagecustomizer.chroot.Chroot;
import io.imagecustomizer.config.InitramfsType;
import io.imagecustomizer.config.LoadedConfig;
import io.imagecustomizer.config.SquashfsCompression;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.format.iso9660.Xorriso;
import io.imagecustomizer.format.squashfs.Squashfs;
import io.imagecustomizer.image.AttachedPartition;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a bootable Live OS ISO from a customized image (bootstrap initramfs): the OS tree as a
 * squashfs at /liveos/rootfs.img, a dracut initrd that mounts it with a RAM overlay, the image's
 * own shim and grub in an EFI boot image, and grub.cfg pointed at the media. The ISO is hybrid: the
 * EFI image is also appended as a GPT partition, so the same file boots from a USB stick.
 */
public final class LiveOsIsoBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(LiveOsIsoBuilder.class);
  private static final List<String> SHIM_NAMES = List.of("bootx64.efi");
  private static final List<String> GRUB_NAMES = List.of("grubx64.efi", "grubx64-noprefix.efi");
  private static final String LIVE_INITRD = "/var/tmp/imagecustomizer-live-initrd.img";
  private static final long MIB = 1024 * 1024;

  /** What the image's main grub.cfg is read for, as its errors say. */
  private static final String BUILDING = "build a Live OS";

  /** The EFI boot folder on the media and in PXE artifacts' staging. */
  static final String EFI_BOOT = "EFI/BOOT";

  /** A grub.cfg that hands over to the media's main one. */
  private static final String REDIRECT =
      "search --no-floppy --label "
          + LiveOsGrub.VOLUME_ID
          + " --set root\nset prefix=($root)/boot/grub2\nconfigfile $prefix/grub.cfg\n";

  private final ProcessRunner runner;
  private final SquashfsCompression compression;

  public LiveOsIsoBuilder(ProcessRunner runner, SquashfsCompression compression) {
    this.runner = runner;
    this.compression = compression;
  }

  /** Where a build stages the media's files under its work folder. */
  public static Path stagingDir(Path workDir) {
    return workDir.resolve("staging");
  }

  /**
   * Fills the staging folder (and the PXE grub.cfg, {@code workDir/grub-pxe.cfg}) for a build: from
   * a disk image, from an OS tree, or by reusing what an ISO input already has.
   */
  @FunctionalInterface
  public interface Stage {
    void fill(LiveMedia media, Path workDir);
  }

  /**
   * Stages a copy of the image's OS, with the shim and grub from its ESP. The layout is checked
   * here, before any heavy work: a main grub.cfg with a kernel, a kernel in /boot, and the shim and
   * grub EFI binaries.
   */
  public Stage fromImage(OsImage image) {
    MainGrubConfig.read(image.root(), BUILDING);
    Kernels.installed(image.root());
    BootBinaries binaries = BootBinaries.of(runner, image);
    return (media, workDir) -> {
      Path rootfs = workDir.resolve("rootfs");
      createDirectories(rootfs);
      binaries.copyTo(stagingDir(workDir));
      LOG.info("Copying the OS tree");
      runner.run(Command.of("cp", "-a", image.root().hostPath() + "/.", rootfs.toString()));
      fromTree(rootfs).fill(media, workDir);
    };
  }

  /**
   * Stages an OS tree that has its kernels and main grub.cfg under /boot; the tree is consumed. The
   * staging folder must already hold the shim and grub in EFI/BOOT.
   */
  public Stage fromTree(Path rootfs) {
    return (media, workDir) -> {
      InitramfsType type = media.type();
      ImageRoot tree = new ImageRoot(rootfs);
      GrubConfig grub = MainGrubConfig.read(tree, BUILDING).config();
      List<String> kernels = Kernels.installed(tree);
      Path staging = stagingDir(workDir);
      createDirectories(staging.resolve("liveos"));
      for (String kernel : kernels) {
        copy(tree.resolve("/boot/vmlinuz-" + kernel), staging.resolve("boot/vmlinuz-" + kernel));
        if (type == InitramfsType.BOOTSTRAP) {
          buildInitrd(tree, kernel, staging.resolve("boot/initramfs-" + kernel + ".img"));
        }
      }
      stageGrub(grub, kernels, media, workDir);

      tree.delete("/etc/fstab");
      emptyFolder(rootfs.resolve("boot"));
      if (type == InitramfsType.FULL_OS) {
        requireSelinuxOff(tree);
        if (!tree.exists("/init")) {
          link(rootfs.resolve("init"), "/lib/systemd/systemd");
        }
        LOG.info("Packing the OS tree into /boot/initrd.img");
        FullOsInitrd.write(rootfs, staging.resolve("boot/initrd.img"));
      } else {
        LOG.info("Packing the OS tree into /liveos/rootfs.img");
        Squashfs.pack(runner, rootfs, staging.resolve("liveos/rootfs.img"), compression.toolName());
        LOG.info(
            "rootfs.img: {} MiB ({})",
            size(staging.resolve("liveos/rootfs.img")) / MIB,
            compression.toolName());
      }
    };
  }

  /**
   * Reuses the staged media of an ISO input as it is (squashfs or full-OS initrd, kernels, initrds,
   * files of earlier runs) and only rewrites its grub configuration for the new arguments.
   */
  public Stage repackage() {
    return (media, workDir) -> {
      Path staging = stagingDir(workDir);
      ImageRoot mediaRoot = new ImageRoot(staging);
      GrubConfig grub = GrubConfig.parse(mediaRoot.readString("/boot/grub2/grub.cfg"));
      stageGrub(grub, Kernels.installed(mediaRoot), media, workDir);
    };
  }

  /**
   * Stages the media with {@code stage} and writes the ISO to {@code output}, if given.
   *
   * @param config the config the media files' paths resolve against
   */
  public void build(
      Stage stage,
      LiveMedia media,
      LoadedConfig config,
      Path workDir,
      @org.jspecify.annotations.Nullable Path output) {
    Path staging = stagingDir(workDir);
    createDirectories(staging.resolve("boot/grub2"));
    stage.fill(media, workDir);
    if (output == null) {
      return;
    }
    efiBootImage(staging);
    ImageRoot mediaRoot = new ImageRoot(staging);
    media.additionalFiles().forEach(file -> mediaRoot.add(file, config));
    write(staging.resolve(SavedConfig.PATH), SavedConfig.render(media.extraArgs()));
    writeIso(staging, output);
    LOG.info("ISO: {} MiB", size(output) / MIB);
  }

  /**
   * Lays out PXE artifacts in {@code dir}; when bootstrapping, the bootstrap ISO is built into it
   * under the name its URL gives.
   */
  public void buildPxe(Stage stage, LiveMedia media, LoadedConfig config, Path workDir, Path dir) {
    createDirectories(dir);
    Path iso =
        media.type() == InitramfsType.BOOTSTRAP ? dir.resolve(media.bootstrapIsoName()) : null;
    build(stage, media, config, workDir, iso);
    PxeArtifacts.layout(workDir, media, config, dir);
  }

  /** {@link #buildPxe} into {@code workDir/pxe}, then packed as a .tar.gz at {@code output}. */
  public void buildPxeTar(
      Stage stage, LiveMedia media, LoadedConfig config, Path workDir, Path output) {
    Path dir = workDir.resolve("pxe");
    buildPxe(stage, media, config, workDir, dir);
    PxeArtifacts.tar(dir, output);
  }

  /**
   * Writes the media's grub.cfg, and the PXE one when PXE can boot this media type, from the main
   * grub.cfg of the image (or of an earlier Live OS: every edit is idempotent).
   */
  private static void stageGrub(
      GrubConfig base, List<String> kernels, LiveMedia media, Path workDir) {
    InitramfsType type = media.type();
    String prepared =
        base.initrdPaths(path -> "/boot/initramfs-" + kernelOf(path, kernels) + ".img").text();
    write(
        stagingDir(workDir).resolve("boot/grub2/grub.cfg"),
        LiveOsGrub.iso(prepared, type, media.extraArgs(), true));
    if (type == InitramfsType.FULL_OS || media.bootstrapUrl() != null) {
      write(
          workDir.resolve("grub-pxe.cfg"),
          LiveOsGrub.pxe(prepared, type, media.bootstrapUrl(), media.extraArgs(), true));
    }
  }

  private void buildInitrd(ImageRoot tree, String kernel, Path target) {
    List<String> modules = new ArrayList<>(List.of("dmsquash-live", "livenet"));
    if (!hasDracutModule(tree, "dmsquash-live")) {
      throw new ImageCustomizerException(
          "the image's dracut has no dmsquash-live module, which a Live OS needs",
          "install it in the image (os.packages.install: dracut-live on Debian and Fedora)");
    }
    if (hasDracutModule(tree, "network-legacy")) {
      modules.add("network-legacy");
    }
    LOG.info("Building the Live OS initrd for kernel {}", kernel);
    try (Chroot chroot = Chroot.enter(runner, tree)) {
      chroot.run(
          "build the Live OS initrd",
          List.of(
              "dracut",
              "--force",
              "--no-hostonly",
              "--kver",
              kernel,
              "--add",
              String.join(" ", modules),
              "--add-drivers",
              "overlay squashfs loop iso9660 sr_mod cdrom",
              LIVE_INITRD),
          java.util.Map.of(),
          null);
    }
    copy(tree.resolve(LIVE_INITRD), target);
    tree.delete(LIVE_INITRD);
  }

  private static boolean hasDracutModule(ImageRoot tree, String module) {
    for (String base : List.of("/usr/lib/dracut/modules.d", "/lib/dracut/modules.d")) {
      Path dir = tree.resolve(base);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> entries = Files.list(dir)) {
          if (entries.anyMatch(
              p -> p.getFileName().toString().replaceFirst("^\\d+", "").equals(module))) {
            return true;
          }
        } catch (IOException e) {
          throw new ImageCustomizerException("cannot list " + dir + ": " + e.getMessage());
        }
      }
    }
    return false;
  }

  /**
   * The FAT image El Torito boots on UEFI, with the media's EFI folder; it also holds a grub.cfg
   * for USB sticks.
   */
  private void efiBootImage(Path staging) {
    Path image = staging.resolve("boot/grub2/efiboot.img");
    Path shim = staging.resolve(EFI_BOOT).resolve("bootx64.efi");
    Path grub = staging.resolve(EFI_BOOT).resolve("grubx64.efi");
    long bytes = size(shim) + size(grub) + 2 * MIB;
    long kib = Math.max(3 * 1024, (bytes + MIB - 1) / MIB * 1024);
    delete(image);
    FatImage fat = FatImage.create(runner, image, "EFIBOOT", kib);
    fat.mkdirs("/EFI", "/EFI/BOOT", "/boot", "/boot/grub2");
    fat.copyIn(shim, "/EFI/BOOT/bootx64.efi");
    fat.copyIn(grub, "/EFI/BOOT/grubx64.efi");
    Path redirect = staging.resolveSibling("redirect-grub.cfg");
    write(redirect, REDIRECT);
    fat.copyIn(redirect, "/boot/grub2/grub.cfg");
    fat.copyIn(redirect, "/EFI/BOOT/grub.cfg");
    for (String vendor : vendorFolders(staging)) {
      fat.mkdirs("/EFI/" + vendor);
      fat.copyIn(redirect, "/EFI/" + vendor + "/grub.cfg");
    }
  }

  /** The media's EFI/<vendor> folders, where a distribution's grub looks for its grub.cfg. */
  private static List<String> vendorFolders(Path staging) {
    try (Stream<Path> folders = Files.list(staging.resolve("EFI"))) {
      return folders
          .filter(p -> Files.isRegularFile(p.resolve("grub.cfg")))
          .map(p -> p.getFileName().toString())
          .filter(name -> !name.equalsIgnoreCase("BOOT"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new ImageCustomizerException("cannot list the media's EFI folder: " + e.getMessage());
    }
  }

  private void writeIso(Path staging, Path output) {
    LOG.info("Writing the ISO");
    Xorriso.writeUefiHybrid(
        runner, staging, LiveOsGrub.VOLUME_ID, "boot/grub2/efiboot.img", output);
  }

  /**
   * The kernel version an initrd path names ({@code initrd.img-6.1.0}, {@code
   * initramfs-6.1.0.img}).
   */
  private static String kernelOf(String initrdPath, List<String> kernels) {
    for (String kernel : kernels) {
      if (initrdPath.contains(kernel)) {
        return kernel;
      }
    }
    return kernels.get(kernels.size() - 1);
  }

  /** A CPIO initrd cannot carry SELinux labels, so the OS must not expect them. */
  private static void requireSelinuxOff(ImageRoot tree) {
    if (tree.exists("/etc/selinux/config")
        && tree.readString("/etc/selinux/config")
            .lines()
            .anyMatch(
                l ->
                    l.strip().equals("SELINUX=enforcing")
                        || l.strip().equals("SELINUX=permissive"))) {
      throw new ImageCustomizerException(
          "selinux is not supported for full OS initramfs image",
          "set os.selinux.mode: disabled, or use initramfsType: bootstrap");
    }
  }

  private static void link(Path link, String target) {
    try {
      Files.createSymbolicLink(link, Path.of(target));
    } catch (IOException e) {
      throw new ImageCustomizerException("cannot create " + link + ": " + e.getMessage());
    }
  }

  private static void emptyFolder(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      for (Path entry : entries.toList()) {
        if (Files.isDirectory(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          io.imagecustomizer.resource.TempDir.deleteTree(entry);
        } else {
          Files.delete(entry);
        }
      }
    } catch (IOException e) {
      throw new ImageCustomizerException("cannot empty " + folder + ": " + e.getMessage());
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new ImageCustomizerException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static void copy(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ImageCustomizerException("cannot copy " + from + ": " + e.getMessage());
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new ImageCustomizerException("cannot write " + file + ": " + e.getMessage());
    }
  }

  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new ImageCustomizerException("cannot delete " + file + ": " + e.getMessage());
    }
  }

  static Path createDirectories(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ImageCustomizerException("cannot create " + dir + ": " + e.getMessage());
    }
  }

  /**
   * Where the image's shim and grub EFI binaries are on its ESP, and the vendor folders whose name
   * its grub may have built in as the place of its grub.cfg ({@code /EFI/debian}).
   */
  record BootBinaries(EspFiles esp, String shim, String grub, List<String> vendors) {
    static BootBinaries of(ProcessRunner runner, OsImage image) {
      AttachedPartition partition =
          image
              .esp()
              .orElseThrow(
                  () ->
                      new ImageCustomizerException(
                          "failed to find the boot efi file (bootx64.efi): the image has no EFI"
                              + " system partition",
                          "a Live OS boots the image's shim and grub; the image must boot on UEFI"));
      EspFiles esp = EspFiles.open(runner, image.rawFile(), partition.partition().offset());
      String shim =
          esp.find(SHIM_NAMES)
              .orElseThrow(
                  () ->
                      new ImageCustomizerException(
                          "failed to find the boot efi file (bootx64.efi) on the ESP",
                          "it is provided by the shim package"));
      String grub =
          esp.find(GRUB_NAMES)
              .orElseThrow(
                  () ->
                      new ImageCustomizerException(
                          "failed to find the grub efi file (grubx64.efi or grubx64-noprefix.efi)"
                              + " on the ESP",
                          "it is provided by the grub EFI package"));
      return new BootBinaries(esp, shim, grub, esp.vendorFolders(GRUB_NAMES));
    }

    /**
     * Copies them into the staging folder as EFI/BOOT/bootx64.efi and grubx64.efi, with a grub.cfg
     * that leads to the media's in each vendor folder: a distribution's grub (Debian's signed one)
     * looks for {@code /EFI/<vendor>/grub.cfg} on the device it was loaded from.
     */
    void copyTo(Path staging) {
      Path boot = createDirectories(staging.resolve(EFI_BOOT));
      esp.copyOut(shim, boot.resolve("bootx64.efi"));
      esp.copyOut(grub, boot.resolve("grubx64.efi"));
      for (String vendor : vendors) {
        write(staging.resolve("EFI").resolve(vendor).resolve("grub.cfg"), REDIRECT);
      }
    }
  }
}
