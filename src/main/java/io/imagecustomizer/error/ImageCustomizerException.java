package io.imagecustomizer.error;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A failure the user can act on. The CLI prints {@link #getMessage()} and, when present, {@link
 * #hint()} instead of a stack trace, and exits with {@link #exitCode()}.
 */
public class ImageCustomizerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Exit code for a customization that failed while running. */
  public static final int EXIT_FAILED = 1;

  /** Exit code for bad usage or a bad configuration. */
  public static final int EXIT_BAD_INPUT = 2;

  private final @Nullable String hint;

  public ImageCustomizerException(String message) {
    this(message, null, null);
  }

  public ImageCustomizerException(String message, @Nullable String hint) {
    this(message, hint, null);
  }

  public ImageCustomizerException(
      String message, @Nullable String hint, @Nullable Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  /**
   * A file operation that failed: "{@code what}: {@code e}'s message", with {@code e} kept as the
   * cause for {@code --log-level debug}.
   *
   * @param what the operation, as "cannot copy /a/b"
   */
  public static ImageCustomizerException io(String what, IOException e) {
    return new ImageCustomizerException(what + ": " + e.getMessage(), null, e);
  }

  /** What the user can do about it, or null when the message says it all. */
  public @Nullable String hint() {
    return hint;
  }

  /** The process exit code this failure maps to. */
  public int exitCode() {
    return EXIT_FAILED;
  }
}
