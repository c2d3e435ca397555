package io.imagecustomizer.config;

import java.util.regex.Pattern;

/**
 * Permission bits of a file or folder the config puts into the image, written in octal ({@code
 * "644"}, {@code "0755"}). Setuid, setgid and sticky bits are refused: as upstream, a config sets
 * permissions only.
 */
public record FileMode(int bits) {
  private static final Pattern FORM = Pattern.compile("[0-7]{3,4}");

  public static Parsed<FileMode> parse(String text) {
    if (!FORM.matcher(text).matches()) {
      return new Parsed.Invalid<>(
          "\"" + text + "\" is not an octal mode", "write e.g. \"644\" or \"0755\"");
    }
    int bits = Integer.parseInt(text, 8);
    if (bits > 0777) {
      return new Parsed.Invalid<>(
          "\"" + text + "\" contains non-permission bits",
          "setuid, setgid and sticky bits cannot be set here; use a script");
    }
    return new Parsed.Valid<>(new FileMode(bits));
  }
}
