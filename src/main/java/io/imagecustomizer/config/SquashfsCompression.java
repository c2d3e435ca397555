package io.imagecustomizer.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The compression of a Live OS's /liveos/rootfs.img ({@code --squashfs-compression NAME[:LEVEL]}).
 * The default, zstd level 6, was chosen from a sweep on the test image (docs/performance.md): 9 %
 * larger than level 15 (mksquashfs's zstd default) for 7 % of its CPU time; levels 9 to 12 are
 * hardly smaller, and lower levels grow the image faster than they save time.
 */
public record SquashfsCompression(Compressor compressor, @Nullable Integer level) {
  public static final SquashfsCompression DEFAULT = new SquashfsCompression(Compressor.ZSTD, 6);

  /** mksquashfs's compressors, with the levels each takes ({@code -Xcompression-level}). */
  public enum Compressor {
    ZSTD(1, 22),
    XZ(0, 0),
    GZIP(1, 9),
    LZ4(0, 0),
    LZO(1, 9);

    private final int minLevel;
    private final int maxLevel;

    Compressor(int minLevel, int maxLevel) {
      this.minLevel = minLevel;
      this.maxLevel = maxLevel;
    }

    /** The name mksquashfs takes after {@code -comp}. */
    public String toolName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Whether mksquashfs takes a compression level for it (xz and lz4 take none). */
    boolean takesLevel() {
      return maxLevel > 0;
    }
  }

  public SquashfsCompression {
    if (level != null
        && (!compressor.takesLevel()
            || level < compressor.minLevel
            || level > compressor.maxLevel)) {
      throw new IllegalArgumentException(compressor.toolName() + " takes no level " + level);
    }
  }

  /** mksquashfs's arguments for this compression. */
  public List<String> toolArguments() {
    List<String> argv = new ArrayList<>(List.of("-comp", compressor.toolName()));
    if (level != null) {
      argv.addAll(List.of("-Xcompression-level", level.toString()));
    }
    return List.copyOf(argv);
  }

  /** As the flag takes it: {@code zstd:6}, {@code xz}. */
  @Override
  public String toString() {
    return level == null ? compressor.toolName() : compressor.toolName() + ":" + level;
  }

  /**
   * Reads {@code NAME} or {@code NAME:LEVEL}.
   *
   * @throws IllegalArgumentException saying what is wrong and what is valid
   */
  public static SquashfsCompression parse(String text) {
    int colon = text.indexOf(':');
    String name = colon < 0 ? text : text.substring(0, colon);
    Compressor compressor =
        Arrays.stream(Compressor.values())
            .filter(c -> c.toolName().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown squashfs compression \""
                            + name
                            + "\"; valid: "
                            + Arrays.stream(Compressor.values())
                                .map(Compressor::toolName)
                                .collect(Collectors.joining(", "))));
    if (colon < 0) {
      // zstd alone keeps meaning the default's compressor at the default's level
      return compressor == DEFAULT.compressor ? DEFAULT : new SquashfsCompression(compressor, null);
    }
    String levelText = text.substring(colon + 1);
    if (!compressor.takesLevel()) {
      throw new IllegalArgumentException(
          "squashfs compression " + name + " takes no level (\"" + text + "\"); give " + name);
    }
    if (!levelText.matches("[0-9]{1,2}")
        || Integer.parseInt(levelText) < compressor.minLevel
        || Integer.parseInt(levelText) > compressor.maxLevel) {
      throw new IllegalArgumentException(
          "squashfs compression level \""
              + levelText
              + "\" of "
              + name
              + " is not a whole number from "
              + compressor.minLevel
              + " to "
              + compressor.maxLevel);
    }
    return new SquashfsCompression(compressor, Integer.parseInt(levelText));
  }
}
