package io.imagecustomizer.run.plan;

import io.imagecustomizer.config.OutputFormat;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.format.DiskFormat;
import io.imagecustomizer.image.format.ImageProbe;
import io.imagecustomizer.image.format.QemuImg;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.resource.CleanupStack;
import io.imagecustomizer.run.Publish;
import io.imagecustomizer.run.Workspace;
import io.imagecustomizer.run.stages.CosiWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code convert} run: a disk image written in another disk format by one qemu-img pass, or as
 * a COSI file through a raw copy, with no customization. The input is probed as a customize run's
 * input is, only read, and the output appears under its name only once complete.
 */
public final class ConvertRun {
  private static final Logger LOG = LoggerFactory.getLogger(ConvertRun.class);

  private final ProcessRunner runner;

  public ConvertRun(ProcessRunner runner) {
    this.runner = runner;
  }

  /**
   * What a cosi or baremetal-image output needs: a build folder for the raw copy whose filesystems
   * are shrunk (the input is only read), and the zstd level.
   */
  public record Cosi(@Nullable Path buildDir, int level) {}

  /**
   * Converts {@code input} to {@code format} at {@code output}.
   *
   * @param format a disk format ({@code raw, qcow2, vhd, vhd-fixed, vhdx}), cosi or baremetal-image
   */
  public void run(Path input, Path output, OutputFormat format, Cosi cosi) {
    long start = System.nanoTime();
    checkPaths(input, output);
    ImageProbe.Source source = new ImageProbe(runner).probe(input);
    if (source.format() == DiskFormat.ISO) {
      throw new ImageCustomizerException(
          "the input image " + input + " is an ISO 9660 volume, which convert does not read",
          "convert reads disk images (raw, qcow2, vhd, vhdx); a Live OS ISO is an input of"
              + " customize");
    }
    LOG.info(
        "Converting {} ({}) to {} ({})",
        input,
        source.format().name().toLowerCase(Locale.ROOT),
        output,
        format);
    if (format.isCosi()) {
      toCosi(source, output, format, cosi);
    } else {
      Publish.file(output, partial -> new QemuImg(runner).convert(source, format, partial));
    }
    LOG.info(
        "{} written in {} s", output, String.format("%.1f", (System.nanoTime() - start) / 1e9));
    LOG.info("Success!");
  }

  /**
   * As upstream: the input as a raw copy in the build folder, its ext filesystems that fill their
   * partitions shrunk, then the COSI writer of a customize run.
   */
  private void toCosi(ImageProbe.Source source, Path output, OutputFormat format, Cosi cosi) {
    if (cosi.buildDir() == null) {
      throw new ImageCustomizerException(
          "a build folder is needed for " + format, "pass --build-dir");
    }
    Workspace workspace = new Workspace(cosi.buildDir());
    try (CleanupStack resources = new CleanupStack()) {
      Path raw = RawWorkingCopy.create(runner, workspace, source, resources);
      Publish.file(
          output,
          partial ->
              new CosiWriter(runner, workspace).write(raw, partial, format, cosi.level(), true));
    }
  }

  private static void checkPaths(Path input, Path output) {
    if (!Files.isRegularFile(input)) {
      throw new ImageCustomizerException(
          "the input image "
              + input
              + (Files.exists(input) ? " is not a regular file" : " does not exist"),
          "check the --image-file path");
    }
    if (Files.isDirectory(output)) {
      throw new ImageCustomizerException(
          "the output path " + output + " is a directory", "name the file to write");
    }
    try {
      // The output replaces whatever is at its path: never the input itself.
      if (Files.exists(output) && Files.isSameFile(input, output)) {
        throw new ImageCustomizerException(
            "the output path " + output + " is the input image; convert never changes its input",
            "write the output to another file");
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot compare " + input + " with " + output, e);
    }
  }
}
