package io.imagecustomizer.config.yaml;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where each YAML path ({@code os.users[0].name}) stands in the file: the value's position, and for
 * mapping entries the key's. Paths that were never written (a missing field) resolve to the nearest
 * written ancestor, which is where the user has to add it.
 */
public final class YamlPositions {
  private final Map<String, Position> values = new HashMap<>();
  private final Map<String, Position> keys = new HashMap<>();

  void value(String path, @Nullable Position position) {
    if (position != null) {
      values.putIfAbsent(path, position);
    }
  }

  void key(String path, @Nullable Position position) {
    if (position != null) {
      keys.putIfAbsent(path, position);
    }
  }

  /** The key's position when the path names a mapping entry, else the value's. */
  public @Nullable Position keyOf(String path) {
    Position key = keys.get(path);
    return key != null ? key : valueOf(path);
  }

  /** The value's position, or the nearest ancestor's. */
  public @Nullable Position valueOf(String path) {
    for (String at = path; ; at = parent(at)) {
      Position found = values.get(at);
      if (found != null || at.isEmpty()) {
        return found;
      }
    }
  }

  static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut <= 0 ? "" : path.substring(0, cut);
  }
}
