package io.imagecustomizer.cli;

import io.imagecustomizer.process.Command;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * SOURCE_DATE_EPOCH, reproducible-builds.org's way to ask a build for the same bytes every time:
 * the time the output is to carry instead of now. Read from the environment once, here, and handed
 * to the run as a value.
 */
final class SourceDateEpoch {
  /** The largest time every format on the media can hold: squashfs dates are 32-bit. */
  private static final long MAX = 0xffffffffL;

  private SourceDateEpoch() {}

  /**
   * The variable's time, or null when it is not set.
   *
   * @throws UsageException when it is set to anything but whole seconds since 1970-01-01 UTC, as
   *     the specification asks of a build: output stamped with some other time is not what the user
   *     asked for
   */
  static @Nullable Instant of(Map<String, String> environment) {
    String value = environment.get(Command.SOURCE_DATE_EPOCH);
    if (value == null) {
      return null;
    }
    if (!value.matches("[0-9]{1,10}") || Long.parseLong(value) > MAX) {
      throw new UsageException(
          Command.SOURCE_DATE_EPOCH
              + "='"
              + value
              + "' is not a time: it must be whole seconds since 1970-01-01 UTC, at most "
              + MAX,
          "set it to e.g. the last commit's time, $(git log -1 --format=%ct), or unset it");
    }
    return Instant.ofEpochSecond(Long.parseLong(value));
  }
}
