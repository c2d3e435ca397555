package io.imagecustomizer.cli;

import io.imagecustomizer.customize.ToolVersion;
import io.imagecustomizer.progress.Progress;
import io.imagecustomizer.progress.Span;
import io.imagecustomizer.progress.TimestampFile;
import io.imagecustomizer.run.plan.CustomizeRun;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code imagecustomizer}: with no subcommand it prints its usage. */
@Command(
    name = "imagecustomizer",
    mixinStandardHelpOptions = true,
    versionProvider = RootCommand.Version.class,
    description = {
      "Customizes Linux OS disk images (raw, qcow2, vhd, vhdx) and turns them into Live OS ISOs"
          + " or PXE artifacts.",
      "Without a subcommand, the options are those of 'customize'."
    },
    subcommands = {
      CustomizeCommand.class,
      ConvertCommand.class,
      InjectFilesCommand.class,
      ValidateConfigCommand.class,
      SchemaCommand.class,
      CompletionCommand.class
    })
final class RootCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The environment the subcommands read their variables from. */
  final Map<String, String> environment;

  @Mixin LoggingOptions logging = new LoggingOptions();

  @Option(
      names = "--disable-telemetry",
      scope = ScopeType.INHERIT,
      description = "Accepted for compatibility; imagecustomizer never sends telemetry.")
  boolean disableTelemetry;

  @Option(
      names = "--timestamp-file",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "Write the time of every stage and step to FILE, one JSON record a line (as upstream).")
  @Nullable Path timestampFile;

  RootCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** The command model alone, for what is generated from it (man page, completion). */
  RootCommand() {
    this(Map.of());
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Runs {@code work} as the run's whole span ({@value CustomizeRun#ROOT_SPAN}), its spans written
   * to {@code --timestamp-file} when one is given; the span ends failed if {@code work} throws.
   */
  <T> T timed(Progress progress, Supplier<T> work) {
    try (TimestampFile timestamps =
        timestampFile == null ? null : TimestampFile.create(timestampFile)) {
      if (timestamps != null) {
        progress.listen(timestamps);
      }
      try (Span whole = progress.start(CustomizeRun.ROOT_SPAN)) {
        T result = work.get();
        whole.succeeded();
        return result;
      }
    }
  }

  /** The version Maven wrote into the jar. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"imagecustomizer " + ToolVersion.get()};
    }
  }
}
