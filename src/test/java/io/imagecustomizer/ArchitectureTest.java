package io.imagecustomizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Packages depend one way only, as docs/architecture.md draws them; this reads the imports of the
 * main sources and fails on an import that points the wrong way.
 */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/io/imagecustomizer");
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?io\\.imagecustomizer\\.(\\w+)", Pattern.MULTILINE);

  /** For each top-level package, the project packages it may import. */
  private static final Map<String, List<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("error", List.of()),
          Map.entry("config", List.of("error")),
          Map.entry("process", List.of("error")),
          Map.entry("resource", List.of("error", "process")),
          Map.entry("format", List.of("error", "process", "resource")),
          Map.entry("image", List.of("error", "process", "resource", "format", "config")),
          Map.entry("chroot", List.of("error", "process", "resource", "format", "image")),
          Map.entry("boot", List.of("error", "process", "resource", "format", "image", "chroot")),
          Map.entry(
              "liveos",
              List.of(
                  "error", "process", "resource", "format", "image", "chroot", "boot", "config")),
          Map.entry(
              "customize",
              List.of(
                  "error",
                  "process",
                  "resource",
                  "format",
                  "image",
                  "chroot",
                  "boot",
                  "config",
                  "liveos")),
          Map.entry(
              "cli",
              List.of(
                  "error",
                  "process",
                  "resource",
                  "format",
                  "image",
                  "chroot",
                  "boot",
                  "config",
                  "liveos",
                  "customize")));

  @Test
  void importsFollowTheLayering() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String own = MAIN.relativize(file).getName(0).toString();
        if (own.endsWith(".java")) {
          continue;
        }
        assertThat(ALLOWED).as("package %s is listed in ArchitectureTest", own).containsKey(own);
        Matcher imports = IMPORT.matcher(Files.readString(file));
        while (imports.find()) {
          String target = imports.group(1);
          if (!target.equals(own)) {
            assertThat(ALLOWED.get(own))
                .as("%s imports io.imagecustomizer.%s", MAIN.relativize(file), target)
                .contains(target);
          }
        }
      }
    }
  }
}
