package io.imagecustomizer.customize;

import io.imagecustomizer.chroot.Chroot;
import io.imagecustomizer.config.InitramfsType;
import io.imagecustomizer.config.LoadedConfig;
import io.imagecustomizer.config.OutputFormat;
import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.image.format.DiskFormat;
import io.imagecustomizer.image.format.QemuImg;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.liveos.IsoMedia;
import io.imagecustomizer.liveos.LiveMedia;
import io.imagecustomizer.liveos.LiveOsIsoBuilder;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.resource.CleanupStack;
import io.imagecustomizer.resource.MountTable;
import io.imagecustomizer.resource.TempDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One customize run: a raw working copy of the input in the build folder (the input itself is only
 * read), the OS inside it customized through loop devices, mounts and a chroot, and the result
 * written under a temporary name that is renamed to the output only once complete.
 */
public final class ImageCustomizer {
  private static final Logger LOG = LoggerFactory.getLogger(ImageCustomizer.class);
  private static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

  private final ProcessRunner runner;
  private final Pipeline pipeline;

  public ImageCustomizer(ProcessRunner runner, Pipeline pipeline) {
    this.runner = runner;
    this.pipeline = pipeline;
  }

  public void customize(RunSettings settings) {
    DiskFormat format = DiskFormat.detect(settings.inputImage());
    boolean isoInput = format == DiskFormat.ISO || settings.inputIsIso();
    if (isoInput && !settings.outputFormat().isLiveOs()) {
      throw new ImageCustomizerException(
          "cannot generate output format " + settings.outputFormat() + " from an ISO input",
          "an ISO input can be written as iso, pxe-dir or pxe-tar");
    }
    Path buildDir = settings.buildDir();
    createDirectories(buildDir);
    cleanLeftovers(buildDir);
    long start = System.nanoTime();
    if (isoInput) {
      customizeIso(settings);
    } else {
      customizeDisk(settings, format);
    }
    LOG.info(
        "Success! {} written in {} s",
        settings.outputPath(),
        String.format("%.1f", (System.nanoTime() - start) / 1e9));
  }

  private void customizeDisk(RunSettings settings, DiskFormat format) {
    Path raw = settings.buildDir().resolve("image.raw");
    try (CleanupStack run = new CleanupStack()) {
      run.push("working copy " + raw, () -> Files.deleteIfExists(raw));
      LOG.info("Converting {} ({}) to a raw working copy", settings.inputImage(), format);
      QemuImg qemuImg = new QemuImg(runner);
      qemuImg.toRaw(settings.inputImage(), format, raw);
      try (CleanupStack open = new CleanupStack()) {
        Path mountRoot = settings.buildDir().resolve("imageroot");
        OsImage image = open.push("image", OsImage.open(runner, raw, mountRoot, false));
        customizeTree(settings, image.root());
      }
      if (settings.outputFormat().isLiveOs()) {
        writeLiveOs(raw, settings);
      } else {
        writeOutput(qemuImg, raw, settings);
      }
    }
  }

  /**
   * An ISO this tool made, as input: its OS is unpacked and customized only when the config changes
   * the OS or the initramfs type; otherwise the media is repackaged around the existing OS image.
   */
  private void customizeIso(RunSettings settings) {
    LiveOsIsoBuilder builder = new LiveOsIsoBuilder(runner, settings.squashfsCompression());
    try (CleanupStack run = new CleanupStack()) {
      TempDir work = run.push("Live OS work folder", TempDir.create(settings.buildDir(), "liveos"));
      Path workDir = work.path();
      IsoMedia input =
          IsoMedia.extract(runner, settings.inputImage(), LiveOsIsoBuilder.stagingDir(workDir));
      LiveMedia media = liveMedia(settings, input.type()).afterEarlierArgs(input.savedArgs());
      if (settings.outputFormat().isPxe()
          && media.type() == InitramfsType.BOOTSTRAP
          && media.bootstrapUrl() == null) {
        throw new ImageCustomizerException(
            settings.inputImage()
                + " is a bootstrap Live OS, whose PXE initrd downloads the OS,"
                + " but no URL is given",
            "set pxe.bootstrapBaseUrl or pxe.bootstrapFileUrl, or pxe.initramfsType: full-os");
      }
      boolean changesOs =
          settings.chain().members().stream()
              .anyMatch(m -> m.config().os() != null || !m.config().scripts().isEmpty());
      LiveOsIsoBuilder.Stage stage;
      if (changesOs || media.type() != input.type()) {
        LOG.info(
            changesOs
                ? "The config customizes the OS: unpacking and rebuilding it"
                : "Turning a " + input.type() + " Live OS into a " + media.type() + " one");
        Path rootfs = workDir.resolve("rootfs");
        input.unpackOs(runner, rootfs);
        customizeTree(settings, new ImageRoot(rootfs));
        stage = builder.fromTree(rootfs);
      } else {
        LOG.info("The config changes only the media: reusing the ISO's OS image as it is");
        stage = builder.repackage();
      }
      writeLiveOs(builder, stage, media, settings, workDir);
    }
  }

  private void customizeTree(RunSettings settings, ImageRoot root) {
    try (CleanupStack open = new CleanupStack()) {
      Chroot chroot = open.push("chroot", Chroot.enter(runner, root));
      CustomizeContext context =
          new CustomizeContext(
              settings.loaded(),
              root,
              chroot,
              UUID.randomUUID().toString(),
              Instant.now(),
              ToolVersion.get(),
              new RpmSources(
                  runner,
                  settings.rpmSources(),
                  !settings.disableBaseImageRpmRepos(),
                  settings.buildDir()));
      List<LoadedConfig> members = settings.chain().members();
      pipeline.run(context, members, HOST_RESOLV_CONF);
      open.push("flush", () -> runner.run(Command.of("sync")));
    }
  }

  private void writeLiveOs(Path raw, RunSettings settings) {
    LiveOsIsoBuilder builder = new LiveOsIsoBuilder(runner, settings.squashfsCompression());
    try (CleanupStack live = new CleanupStack()) {
      TempDir work =
          live.push("Live OS work folder", TempDir.create(settings.buildDir(), "liveos"));
      OsImage image =
          live.push("image", OsImage.open(runner, raw, work.path().resolve("image"), true));
      LiveOsIsoBuilder.Stage stage = builder.fromImage(image);
      writeLiveOs(builder, stage, liveMedia(settings, null), settings, work.path());
    }
  }

  private static void writeLiveOs(
      LiveOsIsoBuilder builder,
      LiveOsIsoBuilder.Stage stage,
      LiveMedia media,
      RunSettings settings,
      Path workDir) {
    LoadedConfig config = settings.loaded();
    switch (settings.outputFormat()) {
      case ISO ->
          publish(settings, partial -> builder.build(stage, media, config, workDir, partial));
      case PXE_TAR ->
          publish(settings, partial -> builder.buildPxeTar(stage, media, config, workDir, partial));
      default ->
          publishFolder(
              settings, folder -> builder.buildPxe(stage, media, config, workDir, folder));
    }
  }

  /**
   * The config's {@code iso} or {@code pxe} section, by output format; {@code inputType} is an ISO
   * input's own initramfs type, kept where the section names none.
   */
  private static LiveMedia liveMedia(RunSettings settings, @Nullable InitramfsType inputType) {
    return settings.outputFormat() == OutputFormat.ISO
        ? LiveMedia.of(settings.config().iso(), inputType)
        : LiveMedia.of(settings.config().pxe(), inputType);
  }

  private static void writeOutput(QemuImg qemuImg, Path raw, RunSettings settings) {
    LOG.info("Writing {} ({})", settings.outputPath(), settings.outputFormat());
    publish(settings, partial -> qemuImg.fromRaw(raw, settings.outputFormat(), partial));
  }

  /**
   * Writes the output under a temporary name and renames it only once it is complete; the temporary
   * file goes on failure and on SIGINT/SIGTERM.
   */
  private static void publish(RunSettings settings, Consumer<Path> writer) {
    Path output = settings.outputPath();
    createDirectories(output.getParent());
    Path partial = output.resolveSibling("." + output.getFileName() + ".partial");
    try (CleanupStack writing = new CleanupStack()) {
      writing.push("partial output " + partial, () -> Files.deleteIfExists(partial));
      writer.accept(partial);
      Files.move(
          partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ImageCustomizerException("cannot write " + output + ": " + e.getMessage(), null, e);
    }
  }

  /**
   * Like {@link #publish} for an output folder (pxe-dir): what was there before is replaced only
   * once the new folder is complete.
   */
  private static void publishFolder(RunSettings settings, Consumer<Path> writer) {
    Path output = settings.outputPath();
    createDirectories(output.getParent());
    Path partial = output.resolveSibling("." + output.getFileName() + ".partial");
    try (CleanupStack writing = new CleanupStack()) {
      writing.push("partial output " + partial, () -> TempDir.deleteTree(partial));
      TempDir.deleteTree(partial);
      writer.accept(partial);
      TempDir.deleteTree(output);
      Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ImageCustomizerException("cannot write " + output + ": " + e.getMessage(), null, e);
    }
  }

  /** Undoes what a killed earlier run in the same build folder left mounted or attached. */
  private void cleanLeftovers(Path buildDir) {
    for (Path mount : MountTable.mountPointsUnder(buildDir)) {
      LOG.warn("{} is still mounted from an earlier run; unmounting it", mount);
      runner.run(Command.of("umount", "--lazy", mount.toString()));
    }
    for (String device : LoopDevice.backedBy(runner, buildDir)) {
      LOG.warn("{} is still attached from an earlier run; detaching it", device);
      LoopDevice.detach(runner, device);
    }
  }

  private static void createDirectories(Path path) {
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new ImageCustomizerException(
          "cannot create " + path + ": " + e.getMessage(), "check the path and its permissions");
    }
  }
}
