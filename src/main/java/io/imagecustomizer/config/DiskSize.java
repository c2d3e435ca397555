package io.imagecustomizer.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A size of the storage section ({@code 64M}, {@code 2G}): a number with a binary unit, a whole
 * number of MiB, so every partition boundary is 1 MiB aligned. Parsed once, by the validator and by
 * the stage that builds the disk.
 */
public record DiskSize(long bytes) {
  public static final long MIB = 1024 * 1024;
  private static final Pattern TEXT = Pattern.compile("(\\d+)([KMGT])?");

  /** Why a text is not a size, with what to write instead. */
  public static final class Invalid extends IllegalArgumentException {
    private final @Nullable String hint;

    Invalid(String message, @Nullable String hint) {
      super(message);
      this.hint = hint;
    }

    public @Nullable String hint() {
      return hint;
    }
  }

  /**
   * The size {@code text} names.
   *
   * @throws Invalid if it has no unit, is not a whole number of MiB, or is too large
   */
  public static DiskSize parse(String text) {
    Matcher match = TEXT.matcher(text);
    if (!match.matches()) {
      throw new Invalid(
          "invalid size \"" + text + "\"", "write a number with a unit: K, M, G or T");
    }
    if (match.group(2) == null) {
      throw new Invalid(
          "size \"" + text + "\" has no unit", "add K, M, G or T, e.g. " + text + "M");
    }
    long unit =
        switch (match.group(2)) {
          case "K" -> 1024L;
          case "M" -> MIB;
          case "G" -> 1024 * MIB;
          default -> 1024 * 1024 * MIB;
        };
    long bytes;
    try {
      bytes = Math.multiplyExact(Long.parseLong(match.group(1)), unit);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new Invalid("size \"" + text + "\" is too large", null);
    }
    if (bytes % MIB != 0) {
      throw new Invalid("size \"" + text + "\" must be a whole number of MiB", null);
    }
    return new DiskSize(bytes);
  }

  public long mib() {
    return bytes / MIB;
  }

  @Override
  public String toString() {
    return mib() + "M";
  }
}
