package io.imagecustomizer.cli;

import io.imagecustomizer.config.ConfigSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code schema}: prints the config file's JSON Schema. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the JSON Schema of the config file, for editors.",
      "VS Code: save it and add '# yaml-language-server: $schema=<file>' atop a config."
    })
final class SchemaCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(ConfigSchema.generate().toPrettyString());
    return 0;
  }
}
