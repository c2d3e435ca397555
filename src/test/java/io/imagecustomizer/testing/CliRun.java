package io.imagecustomizer.testing;

import io.imagecustomizer.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The imagecustomizer command line run in-process, as the integration tests use it. */
public record CliRun(int code, String err, Duration elapsed) {

  /** {@code customize} with the usual flags; {@code config} is relative to the repository. */
  public static CliRun customize(
      Path buildDir, Path input, Path config, String format, Path output) {
    return run(
        "--build-dir", buildDir.toString(),
        "--image-file", input.toString(),
        "--config-file", config.toString(),
        "--output-image-format", format,
        "--output-image-file", output.toString());
  }

  /** {@code inject-files} of {@code config} into {@code image}, in place. */
  public static CliRun injectFiles(Path buildDir, Path config, Path image) {
    return run(
        "inject-files",
        "--build-dir",
        buildDir.toString(),
        "--config-file",
        config.toString(),
        "--image-file",
        image.toString());
  }

  public static CliRun run(String... args) {
    return run(System.getenv(), args);
  }

  /** The command line with {@code environment} as the tool's environment. */
  public static CliRun run(Map<String, String> environment, String... args) {
    StringWriter err = new StringWriter();
    long start = System.nanoTime();
    int code =
        Main.run(
            environment,
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            args);
    return new CliRun(code, err.toString(), Duration.ofNanos(System.nanoTime() - start));
  }
}
