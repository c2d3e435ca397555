package io.imagecustomizer.cli;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.run.DiskFull;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Entry point of {@code imagecustomizer}. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final Set<String> TOP_LEVEL_ONLY = Set.of("-h", "--help", "-V", "--version");

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command line and returns the exit code: 0 ok, 1 failed, 2 bad usage or config. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(System.getenv(), out, err, args);
  }

  /**
   * {@link #run(PrintWriter, PrintWriter, String...)} with {@code environment} in place of the
   * process's: the variables the tool reads (SOURCE_DATE_EPOCH) come from there.
   */
  public static int run(
      Map<String, String> environment, PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new RootCommand(environment));
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          Optional<Path> full = DiskFull.folder(e, buildDir(parsed));
          if (full.isPresent()) {
            err.println("error: no space left on device: " + full.get() + " is full");
            String.valueOf(e.getMessage()).lines().forEach(line -> err.println("  " + line));
            err.println(
                "hint: free some space in "
                    + full.get()
                    + " or choose a folder with more room (--build-dir, the output path)");
            LOG.debug("failure details", e);
            return ImageCustomizerException.EXIT_FAILED;
          }
          if (e instanceof ImageCustomizerException failure) {
            err.println("error: " + failure.getMessage());
            if (failure.hint() != null) {
              err.println("hint: " + failure.hint());
            }
            LOG.debug("failure details", failure);
            return exitCode(failure);
          }
          err.println("error: internal error: " + e);
          err.println(
              "hint: this is a bug in imagecustomizer; run with --log-file to keep details");
          LOG.error("internal error", e);
          return ImageCustomizerException.EXIT_FAILED;
        });
    commandLine.setParameterExceptionHandler(
        (e, params) -> {
          err.println("error: " + e.getMessage());
          err.println("hint: see " + e.getCommandLine().getCommandName() + " --help");
          return ImageCustomizerException.EXIT_BAD_INPUT;
        });
    return commandLine.execute(withDefaultSubcommand(commandLine, args));
  }

  /** The exit code a failure ends the tool with. */
  static int exitCode(Exception e) {
    return e instanceof ImageCustomizerException failure
        ? failure.exitCode()
        : ImageCustomizerException.EXIT_FAILED;
  }

  /** The first line the tool prints for a failure, without "error: ". */
  static String errorText(Exception e) {
    return e instanceof ImageCustomizerException ? e.getMessage() : "internal error: " + e;
  }

  private static @Nullable Path buildDir(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult customize = parsed.subcommand();
    Path dir = customize == null ? null : customize.matchedOptionValue("--build-dir", null);
    return dir == null ? null : dir.toAbsolutePath();
  }

  /** Like upstream, flags without a subcommand mean {@code customize}. */
  static String[] withDefaultSubcommand(CommandLine commandLine, String... args) {
    Set<String> subcommands = commandLine.getSubcommands().keySet();
    for (String arg : args) {
      if (subcommands.contains(arg) || TOP_LEVEL_ONLY.contains(arg)) {
        return args;
      }
    }
    if (args.length == 0) {
      return args;
    }
    List<String> withCustomize = new ArrayList<>();
    withCustomize.add("customize");
    withCustomize.addAll(List.of(args));
    return withCustomize.toArray(String[]::new);
  }
}
