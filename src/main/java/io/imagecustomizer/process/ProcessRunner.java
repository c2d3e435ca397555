package io.imagecustomizer.process;

/** Runs external programs; every program the tool calls goes through one of these. */
public interface ProcessRunner {
  /**
   * Runs the command to its end.
   *
   * @throws ProcessFailedException if it exits non-zero, times out or cannot start
   */
  ProcessResult run(Command command);

  /** Runs the command and returns its exit code and output, whatever the exit code. */
  ProcessResult runAllowingFailure(Command command);
}
