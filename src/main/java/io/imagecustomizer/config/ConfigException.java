package io.imagecustomizer.config;

import io.imagecustomizer.config.yaml.Problem;
import io.imagecustomizer.error.ImageCustomizerException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A config file with problems; the message lists every one of them. */
public final class ConfigException extends ImageCustomizerException {
  private static final long serialVersionUID = 1L;

  private final transient Map<Path, List<Problem>> problemsByFile;

  public ConfigException(Path file, List<Problem> problems) {
    this(Map.of(file, problems));
  }

  /** Problems in several files (a config and its base configs), each listed with its file. */
  public ConfigException(Map<Path, List<Problem>> problemsByFile) {
    super(render(problemsByFile));
    this.problemsByFile = Collections.unmodifiableMap(new LinkedHashMap<>(problemsByFile));
  }

  /** All problems, file after file. */
  public List<Problem> problems() {
    return problemsByFile.values().stream().flatMap(List::stream).toList();
  }

  public Map<Path, List<Problem>> problemsByFile() {
    return problemsByFile;
  }

  @Override
  public int exitCode() {
    return EXIT_BAD_INPUT;
  }

  private static String render(Map<Path, List<Problem>> problemsByFile) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<Path, List<Problem>> file : problemsByFile.entrySet()) {
      String name = file.getKey().toString();
      List<Problem> problems = file.getValue();
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append("invalid config ").append(name);
      text.append(problems.size() == 1 ? ":" : " (" + problems.size() + " problems):");
      text.append(
          problems.stream().map(p -> p.render(name)).collect(Collectors.joining("\n", "\n", "")));
    }
    return text.toString();
  }
}
