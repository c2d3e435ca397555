package io.imagecustomizer.config;

import io.imagecustomizer.config.yaml.YamlShape;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Extra kernel arguments. Older configs give {@code extraCommandLine} as one string; it is kept as
 * a single element and appended as written.
 */
public record KernelCommandLine(
    @YamlShape(YamlShape.Kind.SCALAR_AS_LIST) List<String> extraCommandLine) {
  public KernelCommandLine {
    extraCommandLine = Lists.of(extraCommandLine);
  }

  static List<String> argsOf(@Nullable KernelCommandLine line) {
    return line == null ? List.of() : line.extraCommandLine();
  }
}
