package io.imagecustomizer.config;

import org.jspecify.annotations.Nullable;

/** The output image file and its format; the command line overrides both. */
public record OutputImage(
    @Nullable String path, @Nullable OutputFormat format, @Nullable CosiConfig cosi) {
  static final OutputImage EMPTY = new OutputImage(null, null, null);
}
