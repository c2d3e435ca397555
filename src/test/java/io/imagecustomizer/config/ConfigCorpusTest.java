package io.imagecustomizer.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.config.yaml.Position;
import io.imagecustomizer.config.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every config under {@code config/valid} validates, files included; every config under {@code
 * config/invalid} fails with the problem its first line announces: {@code # expect: PATH @ LINE:COL
 * ~ TEXT} (TEXT is found in the message or the hint).
 */
class ConfigCorpusTest {
  static final Path CORPUS = Path.of("src/test/resources/config");
  private static final Pattern EXPECT = Pattern.compile("# expect: (\\S*) @ (\\d+):(\\d+) ~ (.+)");

  static Stream<Path> validConfigs() throws IOException {
    return yamlFiles(CORPUS.resolve("valid")).filter(p -> !p.endsWith("extra-packages.yaml"));
  }

  static Stream<Path> invalidConfigs() throws IOException {
    return yamlFiles(CORPUS.resolve("invalid"));
  }

  @ParameterizedTest
  @MethodSource("validConfigs")
  void validConfigHasNoProblems(Path file) {
    LoadedConfig loaded = ConfigLoader.load(file);

    assertThat(ConfigValidator.validate(loaded, true).all()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("invalidConfigs")
  void invalidConfigReportsExpectedProblem(Path file) throws IOException {
    Matcher expect = EXPECT.matcher(Files.readAllLines(file).get(0));
    assertThat(expect.matches()).as("first line of %s announces the problem", file).isTrue();
    String path = expect.group(1);
    Position position =
        new Position(Integer.parseInt(expect.group(2)), Integer.parseInt(expect.group(3)));
    String text = expect.group(4);

    List<Problem> problems = problemsOf(file);

    assertThat(problems)
        .as("problems of %s", file.getFileName())
        .anySatisfy(
            problem -> {
              assertThat(problem.path()).isEqualTo(path);
              assertThat(problem.position()).isEqualTo(position);
              assertThat(problem.message() + " " + problem.hint()).contains(text);
            });
  }

  private static List<Problem> problemsOf(Path file) {
    try {
      return ConfigValidator.validate(ConfigLoader.load(file), true).all();
    } catch (ConfigException e) {
      return e.problems();
    }
  }

  private static Stream<Path> yamlFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }
}
