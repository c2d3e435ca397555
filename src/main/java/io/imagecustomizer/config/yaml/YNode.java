package io.imagecustomizer.config.yaml;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A YAML document as a small immutable tree that remembers where each node and key stood, so that
 * every problem found later can point at its line and column.
 */
public sealed interface YNode {
  @Nullable Position position();

  /** Human name of the node kind, for "expected a list, found a mapping". */
  String kind();

  /** A scalar; {@code isNull} for {@code ~}, {@code null} or an empty value. */
  record Scalar(String text, boolean isNull, @Nullable Position position) implements YNode {
    @Override
    public String kind() {
      return isNull ? "nothing" : "the value \"" + text + "\"";
    }
  }

  /** A sequence. */
  record Sequence(List<YNode> items, @Nullable Position position) implements YNode {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public String kind() {
      return "a list";
    }
  }

  /**
   * A mapping with string keys, in file order; duplicate keys are kept for the walker to report.
   */
  record Mapping(List<Entry> entries, @Nullable Position position) implements YNode {
    public Mapping {
      entries = List.copyOf(entries);
    }

    @Override
    public String kind() {
      return "a mapping";
    }

    public Optional<Entry> entry(String key) {
      return entries.stream().filter(e -> e.key().equals(key)).findFirst();
    }
  }

  /** A key and its value. */
  record Entry(String key, @Nullable Position keyPosition, YNode value) {}
}
