package io.imagecustomizer.cli;

import io.imagecustomizer.config.OutputFormat;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.progress.Progress;
import io.imagecustomizer.run.plan.InjectFilesRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code inject-files} with upstream's flags: writes the files of an inject-files config (the
 * signed boot binaries {@code output.artifacts} exported) back into the image's partitions.
 */
@Command(
    name = "inject-files",
    mixinStandardHelpOptions = true,
    description =
        "Writes files (signed boot binaries, most often) into an image's partitions from an"
            + " inject-files config, such as the inject-files.yaml that output.artifacts writes.")
final class InjectFilesCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(InjectFilesCommand.class);

  @ParentCommand RootCommand root;

  @Option(
      names = "--build-dir",
      required = true,
      paramLabel = "DIR",
      description = "Folder for the raw working copy.")
  Path buildDir;

  @Option(
      names = "--config-file",
      required = true,
      paramLabel = "FILE",
      description = "The inject-files config; sources are relative to its folder.")
  Path configFile;

  @Option(
      names = "--image-file",
      required = true,
      paramLabel = "FILE",
      description = "The disk image (raw, qcow2, vhd, vhdx).")
  Path imageFile;

  @Option(
      names = {"--output-image-file", "--output-path"},
      paramLabel = "FILE",
      description = "Where to write the result; by default over --image-file, once complete.")
  @Nullable Path outputImageFile;

  @Option(
      names = "--output-image-format",
      paramLabel = "FORMAT",
      converter = OutputFormatConverter.class,
      description =
          "vhd, vhd-fixed, vhdx, qcow2, raw, cosi or baremetal-image; by default the input's.")
  @Nullable OutputFormat outputImageFormat;

  @Option(
      names = "--cosi-compression-level",
      paramLabel = "LEVEL",
      description = "zstd level (1-22) of cosi and baremetal-image outputs.")
  @Nullable Integer cosiCompressionLevel;

  @Option(
      names = "--tools-dir",
      paramLabel = "DIR",
      description = "Not used: the files are written without a tools tree.")
  @Nullable Path toolsDir;

  @Override
  public Integer call() {
    root.logging.apply();
    checkFlags();
    if (toolsDir != null) {
      LOG.info("--tools-dir {} is not needed to inject files; it is not used", toolsDir);
    }
    root.timed(
        new Progress(),
        () -> {
          new InjectFilesRun(new SystemProcessRunner())
              .run(
                  new InjectFilesRun.Request(
                      configFile,
                      imageFile.toAbsolutePath(),
                      buildDir.toAbsolutePath(),
                      outputImageFile == null ? null : outputImageFile.toAbsolutePath(),
                      outputImageFormat,
                      cosiCompressionLevel));
          return null;
        });
    return 0;
  }

  /** Upstream's flag rules, before any work. */
  void checkFlags() {
    if (outputImageFormat != null && outputImageFormat.isLiveOs()) {
      throw new UsageException(
          "inject-files writes vhd, vhd-fixed, vhdx, qcow2, raw, cosi or baremetal-image, not "
              + outputImageFormat);
    }
    if (cosiCompressionLevel != null && (cosiCompressionLevel < 1 || cosiCompressionLevel > 22)) {
      throw new UsageException(
          "--cosi-compression-level must be between 1 and 22, not " + cosiCompressionLevel);
    }
  }
}
