package io.imagecustomizer.customize;

import io.imagecustomizer.chroot.Chroot;
import io.imagecustomizer.config.LoadedConfig;
import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.image.format.DiskFormat;
import io.imagecustomizer.image.format.QemuImg;
import io.imagecustomizer.image.loop.LoopDevice;
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
    if (format == DiskFormat.ISO || settings.inputIsIso()) {
      throw new ImageCustomizerException(
          "a Live OS ISO as input is not supported yet", "start from the disk image instead");
    }
    Path buildDir = settings.buildDir();
    createDirectories(buildDir);
    cleanLeftovers(buildDir);
    Path raw = buildDir.resolve("image.raw");
    long start = System.nanoTime();
    try (CleanupStack run = new CleanupStack()) {
      run.push("working copy " + raw, () -> Files.deleteIfExists(raw));
      LOG.info("Converting {} ({}) to a raw working copy", settings.inputImage(), format);
      QemuImg qemuImg = new QemuImg(runner);
      qemuImg.toRaw(settings.inputImage(), format, raw);
      customizeOs(settings, raw, buildDir.resolve("imageroot"));
      if (settings.outputFormat().isLiveOs()) {
        writeLiveOs(raw, settings);
      } else {
        writeOutput(qemuImg, raw, settings);
      }
    }
    LOG.info(
        "Success! {} written in {} s",
        settings.outputPath(),
        String.format("%.1f", (System.nanoTime() - start) / 1e9));
  }

  private void customizeOs(RunSettings settings, Path raw, Path mountRoot) {
    try (CleanupStack open = new CleanupStack()) {
      OsImage image = open.push("image", OsImage.open(runner, raw, mountRoot, false));
      Chroot chroot = open.push("chroot", Chroot.enter(runner, image.root()));
      CustomizeContext context =
          new CustomizeContext(
              settings.loaded(),
              image.root(),
              chroot,
              UUID.randomUUID().toString(),
              Instant.now(),
              ToolVersion.get());
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
      builder.checkLayout(image);
      Path workDir = work.path();
      switch (settings.outputFormat()) {
        case ISO ->
            publish(
                settings,
                partial ->
                    builder.build(
                        image,
                        LiveMedia.of(settings.config().iso()),
                        settings.loaded(),
                        workDir,
                        partial));
        case PXE_TAR ->
            publish(
                settings,
                partial ->
                    builder.buildPxeTar(
                        image,
                        LiveMedia.of(settings.config().pxe()),
                        settings.loaded(),
                        workDir,
                        partial));
        default ->
            publishFolder(
                settings,
                folder ->
                    builder.buildPxe(
                        image,
                        LiveMedia.of(settings.config().pxe()),
                        settings.loaded(),
                        workDir,
                        folder));
      }
    }
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
