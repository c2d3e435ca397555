package io.imagecustomizer.format;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessResult;
import io.imagecustomizer.process.ProcessRunner;
import java.util.ArrayList;
import java.util.List;

/** Records the commands it is given; each prints {@code stdout}. */
public final class RecordingRunner implements ProcessRunner {
  private final List<Command> commands = new ArrayList<>();
  private final String stdout;

  public RecordingRunner(String stdout) {
    this.stdout = stdout;
  }

  /** Every command so far, as its arguments joined by spaces. */
  public List<String> lines() {
    return commands.stream().map(c -> String.join(" ", c.argv())).toList();
  }

  /** Every command so far, with its environment. */
  public List<Command> commands() {
    return List.copyOf(commands);
  }

  @Override
  public ProcessResult run(Command command) {
    return runAllowingFailure(command);
  }

  @Override
  public ProcessResult runAllowingFailure(Command command) {
    commands.add(command);
    return new ProcessResult(0, stdout, "");
  }
}
