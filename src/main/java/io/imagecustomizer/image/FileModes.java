package io.imagecustomizer.image;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Octal permission strings of the config ({@code "644"}, {@code "0755"}) as POSIX modes. */
public final class FileModes {
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

  private FileModes() {}

  /** The mode, or null when the config leaves it to the default. */
  public static @Nullable Set<PosixFilePermission> parse(@Nullable String octal) {
    if (octal == null) {
      return null;
    }
    int value = Integer.parseInt(octal, 8);
    Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
    for (int bit = 0; bit < BITS.length; bit++) {
      if ((value & (1 << bit)) != 0) {
        mode.add(BITS[bit]);
      }
    }
    return mode;
  }

  public static Set<PosixFilePermission> parseOr(@Nullable String octal, String fallback) {
    Set<PosixFilePermission> mode = parse(octal);
    return mode != null ? mode : parse(fallback);
  }
}
