package io.imagecustomizer.config.yaml;

import org.jspecify.annotations.Nullable;

/**
 * One thing wrong with a config file: the YAML path of the field ({@code
 * os.additionalFiles[2].destination}, empty for the whole file), where it is, what is wrong, and
 * what to do about it when that is not obvious.
 */
public record Problem(
    String path, @Nullable Position position, String message, @Nullable String hint) {

  /** {@code file:line:col: path: message}, then the hint on its own indented line. */
  public String render(String file) {
    StringBuilder text = new StringBuilder(file);
    if (position != null) {
      text.append(':').append(position);
    }
    text.append(": ");
    if (!path.isEmpty()) {
      text.append(path).append(": ");
    }
    text.append(message);
    if (hint != null) {
      text.append("\n    hint: ").append(hint);
    }
    return text.toString();
  }
}
