package io.imagecustomizer.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import io.imagecustomizer.progress.ProgressLog;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;

/**
 * Log lines on a terminal with a progress bar under them: while a customization step runs, the last
 * line shows how far the run is and how long the step has taken, and every log line is written
 * above it. A step's "done" line stays; its start line is only the bar.
 */
final class StatusLineAppender extends AppenderBase<ILoggingEvent> {
  private static final String CLEAR = "\r\033[2K";
  private static final int WIDTH = 24;

  private final PrintStream out;
  private final Encoder<ILoggingEvent> encoder;
  private final LongSupplier nanoTime;
  private @Nullable ScheduledExecutorService ticker;
  private @Nullable Running running;

  private record Running(int number, int total, String step, long startNanos) {}

  StatusLineAppender(PrintStream out, Encoder<ILoggingEvent> encoder, LongSupplier nanoTime) {
    this.out = out;
    this.encoder = encoder;
    this.nanoTime = nanoTime;
  }

  /** Redraws the bar every second, so the step's time moves while a long program runs. */
  void startTicking() {
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "imagecustomizer-progress");
              thread.setDaemon(true);
              return thread;
            });
    ticker.scheduleAtFixedRate(this::redraw, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public void stop() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    synchronized (this) {
      if (running != null) {
        out.print(CLEAR);
        out.flush();
        running = null;
      }
    }
    super.stop();
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    out.print(CLEAR);
    if (marked(event, ProgressLog.STARTED)) {
      Object[] args = event.getArgumentArray();
      running =
          new Running(
              ((Number) args[0]).intValue(),
              ((Number) args[1]).intValue(),
              String.valueOf(args[2]),
              nanoTime.getAsLong());
    } else {
      out.print(new String(encoder.encode(event), StandardCharsets.UTF_8));
      if (marked(event, ProgressLog.DONE)) {
        running = null;
      }
    }
    if (running != null) {
      out.print(bar(running));
    }
    out.flush();
  }

  private static boolean marked(ILoggingEvent event, Marker marker) {
    return event.getMarkerList() != null && event.getMarkerList().contains(marker);
  }

  private synchronized void redraw() {
    if (running != null) {
      out.print(CLEAR + bar(running));
      out.flush();
    }
  }

  private String bar(Running step) {
    int filled = WIDTH * (step.number() - 1) / Math.max(1, step.total());
    long seconds = (nanoTime.getAsLong() - step.startNanos()) / 1_000_000_000L;
    return "["
        + "=".repeat(filled)
        + ">"
        + " ".repeat(WIDTH - filled)
        + "] "
        + step.number()
        + "/"
        + step.total()
        + " "
        + step.step()
        + " "
        + seconds
        + " s";
  }
}
