package io.imagecustomizer.liveos;

import io.imagecustomizer.boot.GrubConfig;
import io.imagecustomizer.boot.Kernels;
import io.imagecustomizer.boot.MainGrubConfig;
import io.imagecustomizer.config.InitramfsType;
import io.imagecustomizer.config.KdumpBootFiles;
import io.imagecustomizer.config.LoadedConfig;
import io.imagecustomizer.config.SquashfsCompression;
import io.imagecustomizer.format.iso9660.Xorriso;
import io.imagecustomizer.format.squashfs.Squashfs;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.image.mount.Mount;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.process.SideBySide;
import io.imagecustomizer.progress.Progress;
import io.imagecustomizer.progress.Span;
import io.imagecustomizer.resource.CleanupStack;
import io.imagecustomizer.resource.Sha256;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a bootable Live OS ISO from a customized image (bootstrap initramfs): the OS tree as a
 * squashfs at /liveos/rootfs.img, a dracut initrd that mounts it with a RAM overlay, the image's
 * own shim and grub in an EFI boot image, grub's BIOS core image when the image has grub's BIOS
 * modules, and grub.cfg pointed at the media. The ISO is hybrid: the EFI image is also appended as
 * a GPT partition and the MBR carries grub's BIOS boot code, so the same file boots from a USB
 * stick. Each of these is another class's job; this one puts them in order.
 */
public final class LiveOsIsoBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(LiveOsIsoBuilder.class);
  private static final long MIB = 1024 * 1024;

  /**
   * mksquashfs's compressor threads: one per processor. Beside it, dracut is mostly one shell
   * copying files, then the image's compressor; while both run the kernel shares the cores between
   * them, and a fixed thread fewer would leave a core idle whenever one of them is done or waits
   * for the disk.
   */
  private static final int SQUASHFS_THREADS = Runtime.getRuntime().availableProcessors();

  /**
   * mksquashfs's memory: a quarter, as it takes by default, but of the memory the JVM sees, which
   * in a container is the container's limit rather than the host's; at least its own minimum.
   */
  private static final long SQUASHFS_MEMORY_MIB =
      Math.max(
          64,
          ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                  .getTotalMemorySize()
              / 4
              / MIB);

  /** What the image's main grub.cfg is read for, as its errors say. */
  private static final String BUILDING = "build a Live OS";

  private final ProcessRunner runner;
  private final SquashfsCompression compression;
  private final @Nullable Instant sourceDate;
  private final Progress progress;

  /**
   * @param sourceDate SOURCE_DATE_EPOCH, if set: every part of the media is then made reproducible,
   *     dated no later than this
   * @param progress where each job of a build (copy, initrd, squashfs, EFI image, ISO) is timed
   */
  public LiveOsIsoBuilder(
      ProcessRunner runner,
      SquashfsCompression compression,
      @Nullable Instant sourceDate,
      Progress progress) {
    this.runner = runner;
    this.compression = compression;
    this.sourceDate = sourceDate;
    this.progress = progress;
  }

  /** Where a build stages the media's files under its work folder. */
  public static Path stagingDir(Path workDir) {
    return new LiveOsWorkDir(workDir).staging();
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
   * Stages the image's OS, with the shim and grub from its ESP. The layout is checked here, before
   * any heavy work: a main grub.cfg with a kernel, a kernel in /boot, and the shim and grub EFI
   * binaries.
   */
  public Stage fromImage(OsImage image) {
    MainGrubConfig.read(image.root(), BUILDING);
    Kernels.installed(image.root());
    BootBinaries binaries = BootBinaries.of(runner, image);
    return (media, workDir) -> {
      LiveOsWorkDir work = new LiveOsWorkDir(workDir);
      binaries.copyTo(work.media());
      if (media.type() == InitramfsType.FULL_OS) {
        // The full-OS initrd is packed from a tree with the Live OS's changes made in it.
        Path rootfs = FileOps.createDirectories(work.rootfs());
        LOG.debug("Copying the OS tree");
        timed(
            "copy os tree",
            () ->
                runner.run(
                    Command.of("cp", "-a", image.root().hostPath() + "/.", rootfs.toString())));
        stage(new ImageRoot(rootfs), media, work);
      } else {
        // The squashfs leaves out what the Live OS drops, so the mounted image is packed as it is.
        stage(image.root(), media, work);
      }
    };
  }

  /**
   * Stages an OS tree that has its kernels and main grub.cfg under /boot; a full-OS initrd is
   * written from the tree changed in place. The staging folder must already hold the shim and grub
   * in EFI/BOOT.
   */
  public Stage fromTree(Path rootfs) {
    return (media, workDir) -> stage(new ImageRoot(rootfs), media, new LiveOsWorkDir(workDir));
  }

  private void stage(ImageRoot tree, LiveMedia media, LiveOsWorkDir work) {
    MediaDir staged = work.media();
    InitramfsType type = media.type();
    GrubConfig grub = MainGrubConfig.read(tree, BUILDING).config();
    List<String> kernels = Kernels.installed(tree);
    FileOps.createDirectories(staged.squashfs().getParent());
    for (String kernel : kernels) {
      FileOps.copy(tree.resolve("/boot/" + Kernels.fileName(kernel)), staged.kernel(kernel));
    }
    stageGrub(grub, kernels, media, work);
    Path boot = tree.resolve("/boot");
    KdumpFiles.hold(boot, work.kdump());
    if (type == InitramfsType.FULL_OS) {
      timed("bios boot image", () -> BiosMedia.stage(runner, tree, staged));
      // the media boot their own kernels, and have no disk to mount
      tree.delete("/etc/fstab");
      FileOps.emptyFolder(boot);
      KdumpFiles.place(media.kdump(), work.kdump(), boot, staged.boot());
      if (media.iso()) {
        tree.write("/etc/fstab", FullOsInitrd.MEDIA_FSTAB.getBytes(StandardCharsets.UTF_8), null);
      }
      LOG.debug("Packing the OS tree into /boot/initrd.img");
      timed("full-os initrd", () -> FullOsInitrd.write(tree, staged.fullOsInitrd(), sourceDate));
      return;
    }
    // The media boot their own kernels, and have no disk to mount: the squashfs has neither the
    // OS's /boot contents nor its fstab. The tree itself is never changed.
    List<String> pseudo = List.of();
    if (media.kdump() == KdumpBootFiles.KEEP) {
      pseudo = KdumpFiles.keptInSquashfs(work.kdump(), boot);
    } else {
      KdumpFiles.place(media.kdump(), work.kdump(), boot, staged.boot());
    }
    Squashfs.Source source =
        new Squashfs.Source(
            work.squashfsSource(), List.of("boot/*", "boot/.*", "etc/fstab"), pseudo);
    // dracut and grub write only into their chroot's /tmp, so the squashfs, made from a copy of
    // the tree's mounts that the chroots' mounts do not reach, can be packed meanwhile.
    try (CleanupStack view = new CleanupStack()) {
      FileOps.createDirectories(source.tree());
      view.push(
          "squashfs source " + source.tree(),
          Mount.recursiveCopy(runner, tree.hostPath(), source.tree()));
      SideBySide.run(
          () -> {
            for (String kernel : kernels) {
              timedBeside("live initrd " + kernel, () -> liveInitrd(tree, kernel, work));
            }
            timedBeside("bios boot image", () -> BiosMedia.stage(runner, tree, staged));
          },
          () -> {
            LOG.debug("Packing the OS tree into /liveos/rootfs.img");
            timedBeside(
                "squashfs",
                () ->
                    Squashfs.pack(
                        runner,
                        source,
                        staged.squashfs(),
                        compression.toolArguments(),
                        SQUASHFS_THREADS,
                        SQUASHFS_MEMORY_MIB,
                        sourceDate));
          });
    }
    LOG.info("rootfs.img: {} MiB ({})", FileOps.size(staged.squashfs()) / MIB, compression);
  }

  /**
   * Builds a kernel's bootstrap initrd, or takes the ISO input's when what it was built from is
   * unchanged, and records on the media what it is built from.
   */
  private void liveInitrd(ImageRoot tree, String kernel, LiveOsWorkDir work) {
    MediaDir staged = work.media();
    Path target = staged.initramfs(kernel);
    Path record = staged.initrdInputs(kernel);
    List<String> dracut = LiveInitrd.command(LiveInitrd.modules(tree), kernel);
    String inputs = InitrdInputs.of(tree, dracut, sourceDate);
    Path held = work.inputInitrds().resolve(target.getFileName());
    Path heldRecord = work.inputInitrds().resolve(record.getFileName());
    if (Files.exists(held) && Files.exists(heldRecord)) {
      if (FileOps.read(heldRecord).equals(inputs)) {
        LOG.info(
            "Reusing the input ISO's initrd for kernel {}: nothing it is built from changed",
            kernel);
        FileOps.move(held, target);
        FileOps.write(record, inputs);
        return;
      }
      LOG.info(
          "Rebuilding the initrd for kernel {}: what it is built from changed (kernel modules,"
              + " dracut, its configuration or the files it takes from /etc)",
          kernel);
    }
    LiveInitrd.build(runner, tree, dracut, kernel, target, sourceDate);
    FileOps.write(record, inputs);
  }

  /**
   * Reuses the staged media of an ISO input as it is (squashfs or full-OS initrd, kernels, initrds,
   * files of earlier runs) and only rewrites its grub configuration for the new arguments.
   */
  public Stage repackage() {
    return (media, workDir) -> {
      LiveOsWorkDir work = new LiveOsWorkDir(workDir);
      // an ISO input's files: read as a chroot would, so no symlink on it leads out
      ImageRoot staged = new ImageRoot(work.media().root());
      GrubConfig grub = GrubConfig.parse(staged.readString("/" + MediaDir.GRUB_CONFIG));
      stageGrub(grub, Kernels.installed(staged), media, work);
    };
  }

  /**
   * Stages the media with {@code stage} and writes the ISO to {@code output}, if given.
   *
   * @param config the config the media files' paths resolve against
   */
  public void build(
      Stage stage, LiveMedia media, LoadedConfig config, Path workDir, @Nullable Path output) {
    LiveOsWorkDir work = new LiveOsWorkDir(workDir);
    MediaDir staged = work.media();
    FileOps.createDirectories(staged.grubConfig().getParent());
    stage.fill(media, workDir);
    if (output == null) {
      return;
    }
    timed("efi boot image", () -> FatBootImage.write(runner, work, sourceDate));
    ImageRoot mediaRoot = new ImageRoot(staged.root());
    media.additionalFiles().forEach(file -> mediaRoot.add(file, config));
    FileOps.write(staged.savedConfig(), SavedConfig.render(media.extraArgs()));
    LOG.debug("Writing the ISO");
    timed(
        "write iso",
        () ->
            Xorriso.writeHybrid(
                runner,
                staged.root(),
                LiveOsGrub.VOLUME_ID,
                MediaDir.EFI_IMAGE,
                staged.biosBoot().orElse(null),
                output,
                sourceDate));
  }

  /**
   * Lays out PXE artifacts in {@code dir}; when bootstrapping, the bootstrap ISO is built into it
   * under the name its URL gives.
   */
  public void buildPxe(Stage stage, LiveMedia media, LoadedConfig config, Path workDir, Path dir) {
    FileOps.createDirectories(dir);
    Path iso =
        media.type() == InitramfsType.BOOTSTRAP ? dir.resolve(media.bootstrapIsoName()) : null;
    build(stage, media, config, workDir, iso);
    PxeArtifacts.layout(new LiveOsWorkDir(workDir), media, config, dir);
  }

  /** {@link #buildPxe} into {@code workDir/pxe}, then packed as a .tar.gz at {@code output}. */
  public void buildPxeTar(
      Stage stage, LiveMedia media, LoadedConfig config, Path workDir, Path output) {
    Path dir = new LiveOsWorkDir(workDir).pxe();
    buildPxe(stage, media, config, workDir, dir);
    // Unpacked, the archive is what a pxe-dir run writes, checksums included.
    Sha256.writeSums(dir);
    PxeArtifacts.tar(dir, output, sourceDate);
  }

  /**
   * Writes the media's grub.cfg, and the PXE one when PXE can boot this media type, from the main
   * grub.cfg of the image (or of an earlier Live OS: every edit is idempotent).
   */
  private static void stageGrub(
      GrubConfig base, List<String> kernels, LiveMedia media, LiveOsWorkDir work) {
    InitramfsType type = media.type();
    String prepared =
        base.initrdPaths(path -> "/boot/" + MediaDir.initramfsName(kernelOf(path, kernels))).text();
    FileOps.write(
        work.media().grubConfig(), LiveOsGrub.iso(prepared, type, media.extraArgs(), true));
    if (type == InitramfsType.FULL_OS || media.bootstrapUrl() != null) {
      FileOps.write(
          work.pxeGrubConfig(),
          LiveOsGrub.pxe(prepared, type, media.bootstrapUrl(), media.extraArgs(), true));
    }
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

  private void timed(String job, Runnable work) {
    try (Span span = progress.start(job)) {
      work.run();
      span.succeeded();
    }
  }

  /** {@link #timed} for a job run beside another, in its own thread. */
  private void timedBeside(String job, Runnable work) {
    try (Span span = progress.startBeside(job)) {
      work.run();
      span.succeeded();
    }
  }
}
