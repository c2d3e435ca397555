package io.imagecustomizer.process;

import io.imagecustomizer.error.ImageCustomizerException;

/** A program that exited non-zero, timed out or could not start. */
public final class ProcessFailedException extends ImageCustomizerException {
  private static final long serialVersionUID = 1L;

  private final transient Command command;
  private final int exitCode;

  public ProcessFailedException(Command command, int exitCode, String detail, String hint) {
    super(message(command, exitCode, detail), hint);
    this.command = command;
    this.exitCode = exitCode;
  }

  public Command command() {
    return command;
  }

  /** The program's exit code, or -1 when it did not run to its end. */
  public int programExitCode() {
    return exitCode;
  }

  private static String message(Command command, int exitCode, String detail) {
    String how = exitCode < 0 ? "" : " with exit code " + exitCode;
    String text = command.program() + " failed" + how + ": " + command.shellText();
    return detail.isBlank() ? text : text + "\n" + detail.strip();
  }
}
