package io.imagecustomizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The examples under deploy/ that teams copy: every imagecustomizer command line in them, in a
 * shell script or as a container's argument list, uses only subcommands and flags the CLI has.
 */
class DeployExamplesTest {
  private static final Path DEPLOY = Path.of("deploy");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      return files.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyCommandLineUsesFlagsTheCliHas(Path example) throws IOException {
    List<List<String>> commands = new ArrayList<>();
    collect(new YAMLMapper().readTree(example.toFile()), commands);

    assertThat(commands)
        .as("a validate-config step and a customize run")
        .hasSizeGreaterThanOrEqualTo(2);
    assertThat(commands.stream().map(DeployExamplesTest::unknownWords).flatMap(List::stream))
        .as(example + ": " + commands)
        .isEmpty();
  }

  /** Argument lists whose first word is the tool, and the tool's lines in shell scripts. */
  private static void collect(JsonNode node, List<List<String>> commands) {
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(item -> items.add(item.isValueNode() ? item.asString() : ""));
      int tool = items.indexOf("imagecustomizer");
      if (tool >= 0) {
        commands.add(items.subList(tool + 1, items.size()));
      }
    }
    if (node.isString()) {
      // GitHub's ${{ expr }} is one word however it is spaced
      String script =
          node.asString().replace("\\\n", " ").replaceAll("\\$\\{\\{\\s*(.*?)\\s*}}", "\\${{$1}}");
      for (String line : script.split("\n")) {
        List<String> words = Arrays.asList(line.trim().split("\\s+"));
        int tool = words.indexOf("imagecustomizer");
        if (tool >= 0) {
          commands.add(words.subList(tool + 1, words.size()));
        }
      }
    }
    node.forEach(child -> collect(child, commands));
  }

  /** The words that are neither a subcommand, nor a flag of it or of the root, nor a value. */
  private static List<String> unknownWords(List<String> words) {
    CommandLine root = new CommandLine(new RootCommand());
    String[] args =
        Main.withDefaultSubcommand(
            root, words.stream().map(w -> w.replace("\"", "")).toArray(String[]::new));
    CommandSpec command = root.getCommandSpec();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String word = args[i];
      if (word.startsWith("-")) {
        String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
        OptionSpec option = command.findOption(name);
        if (option == null) {
          option = root.getCommandSpec().findOption(name);
        }
        if (option == null) {
          unknown.add(word);
        } else if (!word.contains("=") && option.arity().max() > 0) {
          i++;
        }
      } else if (command == root.getCommandSpec() && root.getSubcommands().containsKey(word)) {
        command = root.getSubcommands().get(word).getCommandSpec();
      } else {
        unknown.add(word);
      }
    }
    return unknown;
  }
}
