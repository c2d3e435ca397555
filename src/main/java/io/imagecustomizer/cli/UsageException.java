package io.imagecustomizer.cli;

import io.imagecustomizer.error.ImageCustomizerException;

/** A command line the tool cannot act on. */
final class UsageException extends ImageCustomizerException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    this(message, "see imagecustomizer --help");
  }

  UsageException(String message, String hint) {
    super(message, hint);
  }

  @Override
  public int exitCode() {
    return EXIT_BAD_INPUT;
  }
}
