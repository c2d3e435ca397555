package io.imagecustomizer.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.progress.ProgressLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The logging flags every subcommand accepts; applied before the subcommand runs. */
final class LoggingOptions {
  @Option(
      names = "--log-level",
      scope = ScopeType.INHERIT,
      paramLabel = "LEVEL",
      description = "Log level on stderr: panic, fatal, error, warn, info (default), debug, trace.")
  String level = "info";

  @Option(
      names = "--log-file",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "Also log to FILE, at debug level.")
  @Nullable Path file;

  @Option(
      names = "--log-color",
      scope = ScopeType.INHERIT,
      paramLabel = "WHEN",
      description = "Colour log lines: always, auto (default, on a terminal), never.")
  String color = "auto";

  @Option(
      names = "--log-format",
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description = "Log line format: text (default) or json.")
  String format = "text";

  private final WarningLog warnings = new WarningLog();

  void apply() {
    Level stderrLevel = parseLevel(level);
    boolean json =
        switch (format) {
          case "text" -> false;
          case "json" -> true;
          default -> throw usage("--log-format must be text or json, not \"" + format + "\"");
        };
    boolean colour =
        switch (color) {
          case "always" -> true;
          case "never" -> false;
          case "auto" -> stderrIsTerminal() && !json;
          default ->
              throw usage("--log-color must be always, auto or never, not \"" + color + "\"");
        };
    if (json && color.equals("always")) {
      throw usage("--log-color cannot be 'always' when --log-format is 'json'");
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    boolean bar = stderrIsTerminal() && !json;
    // The bar is drawn from the debug-level start lines of steps; the log file keeps everything;
    // warnings are kept for the summary whatever is shown.
    Level kept = stderrLevel.isGreaterOrEqual(Level.WARN) ? Level.WARN : stderrLevel;
    root.setLevel(file != null || bar ? Level.DEBUG : kept);
    warnings.setContext(context);
    warnings.start();
    root.addAppender(warnings);

    if (bar) {
      StatusLineAppender terminal =
          new StatusLineAppender(System.err, encoder(context, pattern(colour)), System::nanoTime);
      terminal.setContext(context);
      terminal.addFilter(new LevelFilter(stderrLevel, ProgressLog.STARTED));
      terminal.start();
      terminal.startTicking();
      root.addAppender(terminal);
    } else {
      ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
      console.setContext(context);
      console.setTarget("System.err");
      console.setEncoder(json ? jsonEncoder(context) : encoder(context, pattern(colour)));
      console.addFilter(new LevelFilter(stderrLevel, null));
      console.start();
      root.addAppender(console);
    }

    if (file != null) {
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
      } catch (IOException e) {
        throw usage("cannot create the folder of --log-file " + file + ": " + e.getMessage());
      }
      FileAppender<ILoggingEvent> log = new FileAppender<>();
      log.setContext(context);
      log.setFile(file.toString());
      log.setEncoder(
          json ? jsonEncoder(context) : encoder(context, "%d{HH:mm:ss.SSS} %-5level %msg%n"));
      log.start();
      root.addAppender(log);
    }
  }

  /**
   * Whether stderr, where the log goes, is a terminal: a bar or colours written to a file or a pipe
   * would be escape codes in a CI log. {@link System#console()} asks about stdin and stdout only.
   */
  static boolean stderrIsTerminal() {
    if ("dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** The warnings logged since {@link #apply()}. */
  List<String> warnings() {
    return warnings.warnings();
  }

  private static JsonLogEncoder jsonEncoder(LoggerContext context) {
    JsonLogEncoder encoder = new JsonLogEncoder();
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  private static String pattern(boolean colour) {
    return colour ? "%d{HH:mm:ss} %highlight(%-5level) %msg%n" : "%d{HH:mm:ss} %-5level %msg%n";
  }

  private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    return encoder;
  }

  private static Level parseLevel(String text) {
    return switch (text) {
      case "panic", "fatal", "error" -> Level.ERROR;
      case "warn" -> Level.WARN;
      case "info" -> Level.INFO;
      case "debug" -> Level.DEBUG;
      case "trace" -> Level.TRACE;
      default ->
          throw usage(
              "--log-level must be one of panic, fatal, error, warn, info, debug, trace, not \""
                  + text
                  + "\"");
    };
  }

  private static ImageCustomizerException usage(String message) {
    return new UsageException(message);
  }

  /** Lets only events at or above a level, and those with a given marker, through one appender. */
  private static final class LevelFilter extends ch.qos.logback.core.filter.Filter<ILoggingEvent> {
    private final Level threshold;
    private final @Nullable Marker always;

    LevelFilter(Level threshold, @Nullable Marker always) {
      this.threshold = threshold;
      this.always = always;
    }

    @Override
    public ch.qos.logback.core.spi.FilterReply decide(ILoggingEvent event) {
      boolean marked = event.getMarkerList() != null && event.getMarkerList().contains(always);
      return marked || event.getLevel().isGreaterOrEqual(threshold)
          ? ch.qos.logback.core.spi.FilterReply.NEUTRAL
          : ch.qos.logback.core.spi.FilterReply.DENY;
    }
  }
}
