package io.imagecustomizer.config;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * A package snapshot time ({@code os.packages.snapshotTime}, {@code --package-snapshot-time}) in
 * upstream's two forms: a date (UTC midnight) or an RFC 3339 time.
 */
public final class SnapshotTime {
  /** What to write instead of a value that is neither form. */
  public static final String HINT =
      "use YYYY-MM-DD or an RFC 3339 time such as 2024-05-20T23:59:59Z";

  private SnapshotTime() {}

  /** The instant {@code text} names, or null when it is neither form. */
  public static @Nullable Instant parse(String text) {
    try {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException again) {
        return null;
      }
    }
  }
}
