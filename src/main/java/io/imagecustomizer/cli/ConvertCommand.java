package io.imagecustomizer.cli;

import io.imagecustomizer.config.OutputFormat;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.progress.Progress;
import io.imagecustomizer.run.plan.ConvertRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code convert}: writes a disk image in another format, without customizing it. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = "Converts an image from one format to another, without customizing it.")
final class ConvertCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ConvertCommand.class);
  private static final String FORMATS = "vhd, vhd-fixed, vhdx, qcow2, raw, cosi or baremetal-image";

  @ParentCommand RootCommand root;

  @Option(
      names = "--build-dir",
      paramLabel = "DIR",
      description = "Folder for temporary files; needed only for cosi and baremetal-image.")
  @Nullable Path buildDir;

  @Option(
      names = "--image-file",
      required = true,
      paramLabel = "FILE",
      description = "The image to convert: raw, qcow2, vhd or vhdx (told by its content).")
  Path imageFile;

  @Option(
      names = {"--output-image-file", "--output-path"},
      required = true,
      paramLabel = "FILE",
      description = "Where to write the converted image.")
  Path outputImageFile;

  @Option(
      names = "--output-image-format",
      required = true,
      paramLabel = "FORMAT",
      converter = OutputFormatConverter.class,
      description = "vhd, vhd-fixed, vhdx, qcow2, raw, cosi or baremetal-image.")
  OutputFormat outputImageFormat;

  @Option(
      names = "--cosi-compression-level",
      paramLabel = "LEVEL",
      description = "zstd level (1-22) of cosi and baremetal-image outputs.")
  @Nullable Integer cosiCompressionLevel;

  @Option(
      names = "--tools-dir",
      paramLabel = "DIR",
      description =
          "Not used: upstream lists a COSI's packages with a tools tree, this version with the"
              + " image's own rpm or dpkg-query.")
  @Nullable Path toolsDir;

  @Override
  public Integer call() {
    root.logging.apply();
    checkFlags();
    if (toolsDir != null) {
      // Upstream reads the tools tree only to list a COSI's packages; the image's own tools do
      // here.
      LOG.info(
          "--tools-dir {} is not needed to write {}; it is not used", toolsDir, outputImageFormat);
    }
    root.timed(
        new Progress(),
        () -> {
          new ConvertRun(new SystemProcessRunner())
              .run(
                  imageFile.toAbsolutePath(),
                  outputImageFile.toAbsolutePath(),
                  outputImageFormat,
                  new ConvertRun.Cosi(
                      buildDir == null ? null : buildDir.toAbsolutePath(),
                      cosiCompressionLevel != null
                          ? cosiCompressionLevel
                          : outputImageFormat.defaultCosiLevel()));
          return null;
        });
    return 0;
  }

  /** The flag rules of upstream's convert. */
  void checkFlags() {
    boolean cosi = outputImageFormat.isCosi();
    if (outputImageFormat.isLiveOs()) {
      throw new UsageException("convert writes " + FORMATS + ", not " + outputImageFormat);
    }
    if (cosi && buildDir == null) {
      throw new UsageException("--build-dir is required for cosi and baremetal-image outputs");
    }
    if (cosiCompressionLevel != null) {
      if (!cosi) {
        throw new UsageException(
            "--cosi-compression-level can only be given with --output-image-format cosi or"
                + " baremetal-image");
      }
      if (cosiCompressionLevel < 1 || cosiCompressionLevel > 22) {
        throw new UsageException(
            "--cosi-compression-level must be between 1 and 22, not " + cosiCompressionLevel);
      }
    }
  }
}
