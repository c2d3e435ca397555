package io.imagecustomizer.process;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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

  /** The variable reproducible builds set to the time their output is to carry. */
  public static final String SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH";

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

  /**
   * The same command told {@code date} as {@value #SOURCE_DATE_EPOCH} (reproducible-builds.org), if
   * given: the programs that honour it stamp their output with that time instead of now.
   */
  public Command withSourceDate(@Nullable Instant date) {
    if (date == null) {
      return this;
    }
    Map<String, String> extra = new HashMap<>(environment);
    extra.putAll(sourceDateEnvironment(date));
    return withEnvironment(extra);
  }

  /** {@value #SOURCE_DATE_EPOCH} set to {@code date}, for a program's environment. */
  public static Map<String, String> sourceDateEnvironment(@Nullable Instant date) {
    return date == null
        ? Map.of()
        : Map.of(SOURCE_DATE_EPOCH, Long.toString(date.getEpochSecond()));
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
