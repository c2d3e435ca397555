package io.imagecustomizer.customize;

import io.imagecustomizer.error.ImageCustomizerException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A yum/dnf {@code .repo} file: INI sections of {@code key=value} lines, a value going on over
 * indented lines. Only what tdnf and dnf read is kept; comments are dropped.
 */
record RepoFile(Map<String, Map<String, String>> sections) {
  RepoFile {
    sections = copy(sections);
  }

  /**
   * @param name the file, for error messages
   */
  static RepoFile parse(String text, String name) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    Map<String, String> current = null;
    String lastKey = null;
    int number = 0;
    for (String line : text.split("\n", -1)) {
      number++;
      String stripped = line.strip();
      if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
        continue;
      }
      if (Character.isWhitespace(line.charAt(0)) && current != null && lastKey != null) {
        current.merge(lastKey, stripped, (a, b) -> a + " " + b);
        continue;
      }
      if (stripped.startsWith("[") && stripped.endsWith("]")) {
        String section = stripped.substring(1, stripped.length() - 1).strip();
        current = sections.computeIfAbsent(section, s -> new LinkedHashMap<>());
        lastKey = null;
        continue;
      }
      int equals = stripped.indexOf('=');
      if (equals <= 0) {
        throw bad(name, number, "'" + stripped + "' is neither a [section] nor key=value");
      }
      if (current == null) {
        throw bad(name, number, "a key before the first [section]");
      }
      lastKey = stripped.substring(0, equals).strip();
      current.put(lastKey, stripped.substring(equals + 1).strip());
    }
    return new RepoFile(sections);
  }

  /**
   * The same repos with each whitespace-separated value of {@code key} replaced; {@code edit} gets
   * the section name and one value.
   */
  RepoFile rewrite(String key, BiFunction<String, String, String> edit) {
    Map<String, Map<String, String>> edited = copy(sections);
    edited.forEach(
        (section, keys) -> {
          String value = keys.get(key);
          if (value != null) {
            List<String> values = new ArrayList<>();
            for (String one : value.split("\\s+")) {
              values.add(edit.apply(section, one));
            }
            keys.put(key, String.join(" ", values));
          }
        });
    return new RepoFile(edited);
  }

  String text() {
    StringBuilder text = new StringBuilder();
    sections.forEach(
        (section, keys) -> {
          text.append('[').append(section).append("]\n");
          keys.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
          text.append('\n');
        });
    return text.toString();
  }

  private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> sections) {
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    sections.forEach((section, keys) -> copy.put(section, new LinkedHashMap<>(keys)));
    return copy;
  }

  private static ImageCustomizerException bad(String name, int line, String why) {
    return new ImageCustomizerException(
        name + ":" + line + ": not a valid .repo file: " + why,
        "a .repo file holds [repo-id] sections of key=value lines (baseurl=..., gpgcheck=...)");
  }
}
