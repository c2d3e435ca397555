package io.imagecustomizer.process;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs programs with {@link ProcessBuilder}: the command is logged, {@code LC_ALL=C} keeps output
 * parseable, stdout and stderr are drained at the same time (so neither pipe can fill and stall the
 * program) and both drains are finished before the result is returned. A program's own output is
 * ours to summarize: it goes to the debug log, and the last lines of both pipes (as they were read,
 * so a warning on one cannot hide the end of the other) are in the error when the program fails.
 */
public final class SystemProcessRunner implements ProcessRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SystemProcessRunner.class);
  private static final int STDERR_TAIL = 64 * 1024;
  private static final int LAST_LINES = 20;
  private static final int LINE_WIDTH = 300;
  private static final int PENDING_LIMIT = 64 * 1024;
  private static final Pattern ESCAPES =
      Pattern.compile("\\x1B(\\[[0-?]*[ -/]*[@-~]|[@-_])|[\\x00-\\x08\\x0B-\\x1F\\x7F]");
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  @Override
  public ProcessResult run(Command command) {
    Outcome outcome = execute(command);
    ProcessResult result = outcome.result();
    if (result.exitCode() != 0) {
      throw new ProcessFailedException(command, result.exitCode(), outcome.lastLines(), null);
    }
    return result;
  }

  @Override
  public ProcessResult runAllowingFailure(Command command) {
    return execute(command).result();
  }

  /** How a program ended, and its last output lines for an error message. */
  private record Outcome(ProcessResult result, String lastLines) {}

  private static Outcome execute(Command command) {
    LOG.debug("running: {}", command.shellText());
    ProcessBuilder builder = new ProcessBuilder(command.argv());
    builder.environment().put("LC_ALL", "C");
    builder.environment().putAll(command.environment());
    if (command.directory() != null) {
      builder.directory(command.directory().toFile());
    }
    if (command.stdin() == null) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new ProcessFailedException(
          command,
          -1,
          "cannot start " + command.argv().get(0) + ": " + e.getMessage(),
          "install the program (tools/install-host-deps.sh lists what the tool needs)");
    }
    RUNNING.add(process);
    try {
      return collect(command, process);
    } finally {
      RUNNING.remove(process);
    }
  }

  private static Outcome collect(Command command, Process process) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TailBuffer err = new TailBuffer(STDERR_TAIL);
    LastLines last = new LastLines(LAST_LINES);
    Thread outPump =
        pump(process.getInputStream(), out::writeBytes, last, command.streamOutput(), command);
    Thread errPump =
        pump(process.getErrorStream(), err::write, last, command.streamOutput(), command);
    if (command.stdin() != null) {
      try (OutputStream in = process.getOutputStream()) {
        in.write(command.stdin());
      } catch (IOException e) {
        LOG.debug("{} closed its input early: {}", command.program(), e.getMessage());
      }
    }
    try {
      boolean finished = true;
      if (command.timeout() == null) {
        process.waitFor();
      } else {
        finished = process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
      }
      if (!finished) {
        stop(process);
        outPump.join();
        errPump.join();
        throw new ProcessFailedException(
            command,
            -1,
            "it did not finish within "
                + command.timeout().toSeconds()
                + " s and was stopped\n"
                + last.text(),
            null);
      }
      outPump.join();
      errPump.join();
    } catch (InterruptedException e) {
      stop(process);
      Thread.currentThread().interrupt();
      throw new ProcessFailedException(command, -1, "interrupted", null);
    }
    return new Outcome(
        new ProcessResult(process.exitValue(), out.toString(StandardCharsets.UTF_8), err.text()),
        last.text());
  }

  /** Stops every program still running (the shutdown hook calls this before cleaning up). */
  public static void stopAll() {
    RUNNING.forEach(SystemProcessRunner::stop);
  }

  private static void stop(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Drains one pipe into {@code sink}, and line by line into {@code last} and, for a streaming
   * command, the debug log. Lines are cut at the newline byte, which never occurs inside a UTF-8
   * character, so a character split between two reads stays whole.
   */
  private static Thread pump(
      InputStream stream, Consumer<byte[]> sink, LastLines last, boolean log, Command command) {
    Thread thread =
        new Thread(
            () -> {
              ByteArrayOutputStream line = new ByteArrayOutputStream();
              byte[] buffer = new byte[8192];
              try (stream) {
                for (int n; (n = stream.read(buffer)) > 0; ) {
                  sink.accept(Arrays.copyOf(buffer, n));
                  int from = 0;
                  for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                      line.write(buffer, from, i - from);
                      emit(line, last, log, command);
                      from = i + 1;
                    }
                  }
                  line.write(buffer, from, n - from);
                  if (line.size() > PENDING_LIMIT) {
                    // Output without newlines (data, not messages): only its end can matter.
                    byte[] all = line.toByteArray();
                    line.reset();
                    line.write(all, all.length - LINE_WIDTH, LINE_WIDTH);
                  }
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              if (line.size() > 0) {
                emit(line, last, log, command);
              }
            },
            command.program() + "-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void emit(
      ByteArrayOutputStream bytes, LastLines last, boolean log, Command command) {
    String line = plain(bytes.toString(StandardCharsets.UTF_8));
    bytes.reset();
    last.add(line);
    if (log) {
      LOG.debug("{}: {}", command.program(), line);
    }
  }

  /**
   * A line as a terminal would leave it: only what follows the last carriage return (a progress bar
   * redrawn in place), without escape sequences, so neither reaches a log file or an error.
   */
  static String plain(String line) {
    String shown = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    shown = shown.substring(shown.lastIndexOf('\r') + 1);
    return ESCAPES.matcher(shown).replaceAll("");
  }

  /** The last lines of a program's output, both pipes together in the order they were read. */
  private static final class LastLines {
    private final int limit;
    private final Deque<String> lines = new ArrayDeque<>();

    LastLines(int limit) {
      this.limit = limit;
    }

    synchronized void add(String line) {
      if (line.isBlank()) {
        return;
      }
      lines.addLast(line.length() > LINE_WIDTH ? line.substring(0, LINE_WIDTH) + "..." : line);
      if (lines.size() > limit) {
        lines.removeFirst();
      }
    }

    synchronized String text() {
      return String.join("\n", lines);
    }
  }

  /** Keeps the last {@code limit} bytes written. */
  private static final class TailBuffer {
    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    TailBuffer(int limit) {
      this.limit = limit;
    }

    synchronized void write(byte[] chunk) {
      bytes.writeBytes(chunk);
      if (bytes.size() > 2 * limit) {
        byte[] all = bytes.toByteArray();
        bytes.reset();
        bytes.write(all, all.length - limit, limit);
      }
    }

    synchronized String text() {
      byte[] all = bytes.toByteArray();
      int from = Math.max(0, all.length - limit);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }
  }
}
