package io.imagecustomizer.config;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Permission bits of a file or folder the config puts into the image, written in octal ({@code
 * "644"}, {@code "0755"}). Setuid, setgid and sticky bits are refused: as upstream, a config sets
 * permissions only.
 */
public record FileMode(int bits) {
  private static final Pattern FORM = Pattern.compile("[0-7]{3,4}");

  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OTHERS_EXECUTE,
    PosixFilePermission.OTHERS_WRITE,
    PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE,
    PosixFilePermission.GROUP_WRITE,
    PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE,
    PosixFilePermission.OWNER_WRITE,
    PosixFilePermission.OWNER_READ
  };

  /**
   * The permissions a validated config's field gives, or {@code fallback}'s where the config leaves
   * it out; null when both are absent.
   *
   * @throws IllegalArgumentException when the text is not a mode, which validation rules out
   */
  public static @Nullable Set<PosixFilePermission> permissionsOf(
      @Nullable String text, @Nullable String fallback) {
    String chosen = text != null ? text : fallback;
    if (chosen == null) {
      return null;
    }
    Parsed<FileMode> parsed = parse(chosen);
    if (parsed instanceof Parsed.Valid<FileMode> valid) {
      return valid.value().permissions();
    }
    throw new IllegalArgumentException(chosen + " is not a mode: " + parsed);
  }

  /** The bits as POSIX permissions, for {@code Files.setPosixFilePermissions}. */
  public Set<PosixFilePermission> permissions() {
    Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
    for (int bit = 0; bit < BITS.length; bit++) {
      if ((bits & (1 << bit)) != 0) {
        mode.add(BITS[bit]);
      }
    }
    return mode;
  }

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
