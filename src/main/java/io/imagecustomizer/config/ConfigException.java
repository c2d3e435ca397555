package io.imagecustomizer.config;

import io.imagecustomizer.error.ImageCustomizerException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A config file with problems; the message lists every one of them. */
public final class ConfigException extends ImageCustomizerException {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public ConfigException(Path file, List<Problem> problems) {
    super(render(file, problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  @Override
  public int exitCode() {
    return EXIT_BAD_INPUT;
  }

  private static String render(Path file, List<Problem> problems) {
    String name = file.toString();
    String header =
        problems.size() == 1
            ? "invalid config " + name + ":"
            : "invalid config " + name + " (" + problems.size() + " problems):";
    return problems.stream()
        .map(p -> p.render(name))
        .collect(Collectors.joining("\n", header + "\n", ""));
  }
}
