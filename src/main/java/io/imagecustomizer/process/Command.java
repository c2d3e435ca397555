package io.imagecustomizer.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An external program to run: its arguments, extra environment, working folder, input and time
 * limit. {@code streamOutput} sends its output lines to the debug log as they come (package
 * installs, dracut), instead of only keeping them: they are the program's detail, not the run's.
 */
public record Command(
    List<String> argv,
    Map<String, String> environment,
    @Nullable Path directory,
    byte @Nullable [] stdin,
    @Nullable Duration timeout,
    boolean streamOutput) {

  public Command {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("a command needs a program");
    }
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
  }

  public static Command of(String... argv) {
    return new Command(List.of(argv), Map.of(), null, null, null, false);
  }

  public static Command of(List<String> argv) {
    return new Command(argv, Map.of(), null, null, null, false);
  }

  public Command withEnvironment(Map<String, String> extra) {
    return new Command(argv, extra, directory, stdin, timeout, streamOutput);
  }

  public Command withStdin(byte @Nullable [] input) {
    return new Command(argv, environment, directory, input, timeout, streamOutput);
  }

  public Command withTimeout(Duration limit) {
    return new Command(argv, environment, directory, stdin, limit, streamOutput);
  }

  public Command streamingOutput() {
    return new Command(argv, environment, directory, stdin, timeout, true);
  }

  /** The program's name, for messages. */
  public String program() {
    return Path.of(argv.get(0)).getFileName().toString();
  }

  /** The command as one could paste it into a shell. */
  public String shellText() {
    List<String> quoted = new ArrayList<>();
    for (String arg : argv) {
      quoted.add(
          arg.matches("[A-Za-z0-9_./:=,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    String env =
        environment.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue() + " ")
            .sorted()
            .collect(Collectors.joining());
    return env + String.join(" ", quoted);
  }
}
