package io.imagecustomizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every flag upstream documents parses, with its subcommand's required flags beside it: a script
 * written for upstream never stops at "Unknown option" (what a flag does is other tests' work).
 */
class UpstreamFlagsTest {
  private static final Path FLAGS = Path.of("src/test/resources/cli/upstream-flags.tsv");

  record Flag(String subcommand, String flag, String value) {
    @Override
    public String toString() {
      return subcommand + " " + flag;
    }
  }

  static Stream<Flag> flags() throws IOException {
    return Files.readAllLines(FLAGS).stream()
        .filter(line -> !line.startsWith("#") && !line.isBlank())
        .map(line -> line.split("\t"))
        .map(f -> new Flag(f[0], f[1], f[2]));
  }

  /** What each subcommand cannot run without, so that only the flag under test is in question. */
  private static Map<String, String> required(String subcommand) {
    Map<String, String> required = new LinkedHashMap<>();
    switch (subcommand) {
      case "customize" -> {
        required.put("--build-dir", "/tmp/b");
        required.put("--config-file", "/tmp/c.yaml");
      }
      case "convert" -> {
        required.put("--image-file", "/tmp/i");
        required.put("--output-image-file", "/tmp/o");
        required.put("--output-image-format", "raw");
      }
      case "inject-files" -> {
        required.put("--build-dir", "/tmp/b");
        required.put("--config-file", "/tmp/c.yaml");
        required.put("--image-file", "/tmp/i");
      }
      default -> required.put("--config-file", "/tmp/c.yaml");
    }
    return required;
  }

  /** The required flags but the one under test (and its other name), each with its value. */
  private static List<String> requiredBut(String subcommand, String flag) {
    Map<String, String> required = required(subcommand);
    required.remove(flag);
    if (flag.equals("--output-path")) {
      required.remove("--output-image-file");
    }
    List<String> args = new ArrayList<>();
    required.forEach(
        (name, value) -> {
          args.add(name);
          args.add(value);
        });
    return args;
  }

  @ParameterizedTest
  @MethodSource("flags")
  void parses(Flag flag) {
    List<String> args = new ArrayList<>();
    String subcommand = flag.subcommand().equals("-") ? "validate-config" : flag.subcommand();
    if (flag.subcommand().equals("-")) {
      addFlag(args, flag);
      args.add(subcommand);
      args.addAll(requiredBut(subcommand, ""));
    } else {
      args.add(subcommand);
      args.addAll(requiredBut(subcommand, flag.flag()));
      addFlag(args, flag);
    }
    CommandLine commandLine = new CommandLine(new RootCommand());
    commandLine.setErr(new PrintWriter(new StringWriter()));

    CommandLine.ParseResult parsed = commandLine.parseArgs(args.toArray(String[]::new));

    CommandLine.ParseResult sub = parsed.subcommand();
    assertThat(sub.commandSpec().name()).isEqualTo(subcommand);
    assertThat(
            flag.subcommand().equals("-")
                ? parsed.hasMatchedOption(flag.flag())
                : sub.hasMatchedOption(flag.flag()))
        .as(flag + " is read")
        .isTrue();
  }

  private static void addFlag(List<String> args, Flag flag) {
    args.add(flag.flag());
    if (!flag.value().equals("-")) {
      args.add(flag.value());
    }
  }
}
