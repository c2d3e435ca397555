package io.imagecustomizer.config;

import org.jspecify.annotations.Nullable;

/** COSI output settings ({@code output.image.cosi}). */
public record CosiConfig(@Nullable Compression compression) {
  /** zstd level 1..22. */
  public record Compression(@Nullable Integer level) {}
}
