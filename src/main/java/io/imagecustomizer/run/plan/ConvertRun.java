package io.imagecustomizer.run.plan;

import io.imagecustomizer.config.OutputFormat;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.format.DiskFormat;
import io.imagecustomizer.image.format.ImageProbe;
import io.imagecustomizer.image.format.QemuImg;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.run.Publish;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code convert} run: a disk image written in another disk format by one qemu-img pass, with
 * no customization. The input is probed as a customize run's input is, only read, and the output
 * appears under its name only once complete.
 */
public final class ConvertRun {
  private static final Logger LOG = LoggerFactory.getLogger(ConvertRun.class);

  private final ProcessRunner runner;

  public ConvertRun(ProcessRunner runner) {
    this.runner = runner;
  }

  /**
   * Converts {@code input} to {@code format} at {@code output}.
   *
   * @param format a disk format ({@code raw, qcow2, vhd, vhd-fixed, vhdx})
   */
  public void run(Path input, Path output, OutputFormat format) {
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
    Publish.file(output, partial -> new QemuImg(runner).convert(source, format, partial));
    LOG.info(
        "Success! {} written in {} s",
        output,
        String.format("%.1f", (System.nanoTime() - start) / 1e9));
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
