package io.imagecustomizer.config;

import io.imagecustomizer.config.yaml.Problem;
import io.imagecustomizer.config.yaml.YamlPositions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Collects problems with their positions, so a check can keep going and the user sees all of them
 * at once.
 */
public final class Problems {
  private static final Comparator<Problem> FILE_ORDER =
      Comparator.comparingInt((Problem p) -> p.position() == null ? 0 : p.position().line())
          .thenComparingInt(p -> p.position() == null ? 0 : p.position().column())
          .thenComparing(Problem::path);

  private final YamlPositions positions;
  private final List<Problem> structural;
  private final List<Problem> found = new ArrayList<>();

  public Problems(LoadedConfig loaded) {
    this(loaded.positions(), loaded.problems());
  }

  /** For a file read by the schema walker: where its fields stand and what reading it found. */
  public Problems(YamlPositions positions, List<Problem> structural) {
    this.positions = positions;
    this.structural = List.copyOf(structural);
  }

  public void add(String path, String message) {
    add(path, message, null);
  }

  public void add(String path, String message, @Nullable String hint) {
    found.add(new Problem(path, positions.valueOf(path), message, hint));
  }

  /** The parsed value, or empty after adding the text's problem at {@code path}. */
  public <T> Optional<T> value(String path, Parsed<T> parsed) {
    if (parsed instanceof Parsed.Invalid<T> invalid) {
      add(path, invalid.message(), invalid.hint());
      return Optional.empty();
    }
    return Optional.of(((Parsed.Valid<T>) parsed).value());
  }

  /** Like {@link #add}, pointing at the field's key rather than its value. */
  public void addAtKey(String path, String message, @Nullable String hint) {
    found.add(new Problem(path, positions.keyOf(path), message, hint));
  }

  public boolean isEmpty() {
    return structural.isEmpty() && found.isEmpty();
  }

  /**
   * Structural problems from reading, then these, in file order. A check on a field that already
   * failed to read (or on its parent or child) would only repeat that failure, so it is left out.
   */
  public List<Problem> all() {
    List<Problem> all = new ArrayList<>(structural);
    for (Problem problem : found) {
      if (structural.stream().noneMatch(s -> related(s.path(), problem.path()))) {
        all.add(problem);
      }
    }
    all.sort(FILE_ORDER);
    return all;
  }

  /** Throws a {@link ConfigException} listing every problem, if there is any. */
  public void throwIfAny(Path file) {
    if (!isEmpty()) {
      throw new ConfigException(file, all());
    }
  }

  private static boolean related(String a, String b) {
    if (a.isEmpty() || b.isEmpty()) {
      return false;
    }
    return a.equals(b) || isAncestor(a, b) || isAncestor(b, a);
  }

  private static boolean isAncestor(String ancestor, String path) {
    return path.startsWith(ancestor)
        && (path.charAt(ancestor.length()) == '.' || path.charAt(ancestor.length()) == '[');
  }
}
