package io.imagecustomizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class CompletionCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  /** Every subcommand name and every option name of the command line, walked from its model. */
  private static Set<String> namesOf(CommandLine command) {
    Set<String> names = new LinkedHashSet<>();
    CommandSpec spec = command.getCommandSpec();
    for (OptionSpec option : spec.options()) {
      names.addAll(Arrays.asList(option.names()));
    }
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              names.add(name);
              names.addAll(namesOf(sub));
            });
    return names;
  }

  private static Set<String> words(String script) {
    return Arrays.stream(script.split("[\\s\"'()=|;]+")).collect(Collectors.toSet());
  }

  @Test
  void bashScriptNamesEverySubcommandAndOption() {
    assertThat(run("completion", "bash")).as(err.toString()).isZero();

    Set<String> expected = namesOf(new CommandLine(new RootCommand()));
    assertThat(expected)
        .as("the walk itself reaches the subcommands' own options")
        .contains("convert", "completion", "--summary-json", "--squashfs-compression");
    assertThat(words(out.toString())).containsAll(expected);
    assertThat(out.toString()).startsWith("#!/usr/bin/env bash").contains("complete -F");
  }

  @Test
  void zshScriptIsTheBashScriptThroughBashcompinit() {
    assertThat(run("completion", "zsh")).isZero();

    assertThat(out.toString())
        .startsWith(CompletionCommand.ZSH_PRELUDE)
        .endsWith(CompletionCommand.script(new CommandLine(new RootCommand())));
  }

  @Test
  void otherShellsAreABadUsage() {
    assertThat(run("completion", "fish")).isEqualTo(2);
    assertThat(err.toString()).contains("bash or zsh");
  }
}
