package io.imagecustomizer.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.config.yaml.Position;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the rules check without {@code --validate-resources files}; the corpus checks with it. */
class ConfigValidatorTest {
  private static final Path INVALID = ConfigCorpusTest.CORPUS.resolve("invalid");

  @Test
  void readsPackageListsEvenWithoutFileChecks() {
    LoadedConfig loaded = ConfigLoader.load(INVALID.resolve("packages-missing-list-file.yaml"));

    assertThat(ConfigValidator.validate(loaded, false).all())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.path()).isEqualTo("os.packages.installLists[0]");
              assertThat(problem.message()).endsWith("lists/base.yaml does not exist");
            });
  }

  @Test
  void reportsWhatIsWrongInsideAPackageList() {
    LoadedConfig loaded = ConfigLoader.load(INVALID.resolve("packages-bad-list-file.yaml"));

    assertThat(ConfigValidator.validate(loaded, false).all())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.path()).isEqualTo("os.packages.updateLists[0]");
              assertThat(problem.position()).isEqualTo(new Position(5, 7));
              assertThat(problem.message())
                  .startsWith("package list /")
                  .contains("misspelt.yaml:1:1: package:");
            });
  }

  @Test
  void leavesOtherNamedFilesToFileChecks() {
    LoadedConfig loaded = ConfigLoader.load(INVALID.resolve("additional-file-missing-source.yaml"));

    assertThat(ConfigValidator.validate(loaded, false).all()).isEmpty();
  }
}
