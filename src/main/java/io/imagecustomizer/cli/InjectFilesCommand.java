package io.imagecustomizer.cli;

import io.imagecustomizer.config.OutputFormat;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code inject-files} with upstream's flags: writing signed boot files back into an image's
 * partitions is not supported yet, and a script that calls it is told so plainly (exit 2) rather
 * than with "Unknown command".
 */
@Command(
    name = "inject-files",
    mixinStandardHelpOptions = true,
    description =
        "Writes files into an image's partitions from an inject-files config (upstream):"
            + " not supported yet.")
final class InjectFilesCommand implements Callable<Integer> {
  @ParentCommand RootCommand root;

  @Option(names = "--build-dir", required = true, paramLabel = "DIR")
  Path buildDir;

  @Option(names = "--config-file", required = true, paramLabel = "FILE")
  Path configFile;

  @Option(names = "--image-file", required = true, paramLabel = "FILE")
  Path imageFile;

  @Option(
      names = {"--output-image-file", "--output-path"},
      paramLabel = "FILE")
  @Nullable Path outputImageFile;

  @Option(
      names = "--output-image-format",
      paramLabel = "FORMAT",
      converter = OutputFormatConverter.class)
  @Nullable OutputFormat outputImageFormat;

  @Option(names = "--cosi-compression-level", paramLabel = "LEVEL")
  @Nullable Integer cosiCompressionLevel;

  @Option(names = "--tools-dir", paramLabel = "DIR")
  @Nullable Path toolsDir;

  @Override
  public Integer call() {
    root.logging.apply();
    throw new UsageException(
        "inject-files is not supported yet: this version of imagecustomizer does not write"
            + " files into an image's partitions from an inject-files config",
        "nothing was changed; add files to the OS with os.additionalFiles and customize");
  }
}
