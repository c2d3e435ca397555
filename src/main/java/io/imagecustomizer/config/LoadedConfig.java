package io.imagecustomizer.config;

import io.imagecustomizer.config.yaml.Problem;
import io.imagecustomizer.config.yaml.YamlPositions;
import java.nio.file.Path;
import java.util.List;

/**
 * A config as read from its file: the bound records, where each field stood, and the structural
 * problems found while reading (unknown fields, wrong types) that {@link ConfigValidator} reports
 * together with its own.
 */
public record LoadedConfig(
    Path file,
    Config config,
    YamlPositions positions,
    List<Problem> problems,
    List<String> warnings) {
  public LoadedConfig {
    file = file.toAbsolutePath().normalize();
    problems = List.copyOf(problems);
    warnings = List.copyOf(warnings);
  }

  /** The folder relative paths in the config are resolved against. */
  public Path baseDir() {
    Path parent = file.getParent();
    return parent == null ? Path.of("/") : parent;
  }

  /** A path from the config, made absolute against {@link #baseDir()}. */
  public Path resolve(String path) {
    return baseDir().resolve(path).normalize();
  }
}
