package io.imagecustomizer.format;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessResult;
import io.imagecustomizer.process.ProcessRunner;
import java.util.ArrayList;
import java.util.List;

/** Records the commands it is given; each prints {@code stdout}. */
public final class RecordingRunner implements ProcessRunner {
  private final List<String> lines = new ArrayList<>();
  private final String stdout;

  public RecordingRunner(String stdout) {
    this.stdout = stdout;
  }

  /** Every command so far, as its arguments joined by spaces. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public ProcessResult run(Command command) {
    return runAllowingFailure(command);
  }

  @Override
  public ProcessResult runAllowingFailure(Command command) {
    lines.add(String.join(" ", command.argv()));
    return new ProcessResult(0, stdout, "");
  }
}
