package io.imagecustomizer.process;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs programs with {@link ProcessBuilder}: the command is logged, {@code LC_ALL=C} keeps output
 * parseable, stdout and stderr are drained at the same time (so neither pipe can fill and stall the
 * program) and both drains are finished before the result is returned.
 */
public final class SystemProcessRunner implements ProcessRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SystemProcessRunner.class);
  private static final int STDERR_TAIL = 64 * 1024;
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  @Override
  public ProcessResult run(Command command) {
    ProcessResult result = runAllowingFailure(command);
    if (result.exitCode() != 0) {
      throw new ProcessFailedException(
          command, result.exitCode(), tail(result.stderr(), result.stdout()), null);
    }
    return result;
  }

  @Override
  public ProcessResult runAllowingFailure(Command command) {
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

  private static ProcessResult collect(Command command, Process process) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TailBuffer err = new TailBuffer(STDERR_TAIL);
    Thread outPump =
        pump(process.getInputStream(), out::writeBytes, command.streamOutput(), command.program());
    Thread errPump =
        pump(process.getErrorStream(), err::write, command.streamOutput(), command.program());
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
                + err.text(),
            null);
      }
      outPump.join();
      errPump.join();
    } catch (InterruptedException e) {
      stop(process);
      Thread.currentThread().interrupt();
      throw new ProcessFailedException(command, -1, "interrupted", null);
    }
    return new ProcessResult(process.exitValue(), out.toString(StandardCharsets.UTF_8), err.text());
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

  private static Thread pump(
      InputStream stream, Consumer<byte[]> sink, boolean log, String program) {
    Thread thread =
        new Thread(
            () -> {
              StringBuilder line = new StringBuilder();
              byte[] buffer = new byte[8192];
              try (stream) {
                for (int n; (n = stream.read(buffer)) > 0; ) {
                  byte[] chunk = Arrays.copyOf(buffer, n);
                  sink.accept(chunk);
                  if (log) {
                    logLines(line, new String(chunk, StandardCharsets.UTF_8), program);
                  }
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              if (log && line.length() > 0) {
                LOG.info("{}: {}", program, line);
              }
            },
            program + "-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void logLines(StringBuilder pending, String text, String program) {
    pending.append(text);
    for (int newline; (newline = pending.indexOf("\n")) >= 0; ) {
      LOG.info("{}: {}", program, pending.substring(0, newline));
      pending.delete(0, newline + 1);
    }
  }

  private static String tail(String stderr, String stdout) {
    String text = stderr.isBlank() ? stdout : stderr;
    return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
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
