package io.imagecustomizer.config.yaml;

/** A 1-based line and column in a config file. */
public record Position(int line, int column) {
  @Override
  public String toString() {
    return line + ":" + column;
  }
}
