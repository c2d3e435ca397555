package io.imagecustomizer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sub-packages of {@code config} sit below it: none imports a class of {@code config} itself,
 * so there is no cycle (ArchitectureTest looks at top-level packages only).
 */
class ConfigPackagesTest {
  private static final Path CONFIG = Path.of("src/main/java/io/imagecustomizer/config");
  private static final Pattern CONFIG_IMPORT =
      Pattern.compile("^import (static )?io\\.imagecustomizer\\.config\\.[A-Z]", Pattern.MULTILINE);

  @Test
  void subPackagesDoNotImportConfig() throws IOException {
    try (Stream<Path> files = Files.walk(CONFIG)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (!file.getParent().equals(CONFIG)) {
          assertThat(CONFIG_IMPORT.matcher(Files.readString(file)).find())
              .as("%s imports io.imagecustomizer.config", file)
              .isFalse();
        }
      }
    }
  }
}
