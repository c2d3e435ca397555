package io.imagecustomizer.config;

import java.util.regex.Pattern;

/**
 * A size in a disk layout ({@code maxSize}, a partition's {@code start}, {@code end} or {@code
 * size}): a number with a binary unit, {@code 500M}, {@code 2G}, and a whole number of MiB, since
 * partitions are aligned to 1 MiB.
 */
public record DiskSize(long bytes) {
  public static final long MIB = 1024 * 1024;

  private static final Pattern FORM = Pattern.compile("(\\d+)([KMGT])?");

  public static Parsed<DiskSize> parse(String text) {
    var match = FORM.matcher(text);
    if (!match.matches()) {
      return new Parsed.Invalid<>(
          "invalid size \"" + text + "\"", "write a number with a unit: K, M, G or T");
    }
    if (match.group(2) == null) {
      return new Parsed.Invalid<>(
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
      return new Parsed.Invalid<>("size \"" + text + "\" is too large", null);
    }
    if (bytes % MIB != 0) {
      return new Parsed.Invalid<>("size \"" + text + "\" must be a whole number of MiB", null);
    }
    return new Parsed.Valid<>(new DiskSize(bytes));
  }
}
