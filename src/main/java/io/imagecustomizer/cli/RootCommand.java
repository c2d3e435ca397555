package io.imagecustomizer.cli;

import io.imagecustomizer.customize.ToolVersion;
import java.util.Map;
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

  /** The version Maven wrote into the jar. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"imagecustomizer " + ToolVersion.get()};
    }
  }
}
