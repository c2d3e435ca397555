package io.imagecustomizer.progress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * Writes spans to the log: a planned span ({@code [3/12] users}) gets one info line when it ends,
 * and a start line at debug level, marked so that a terminal can show it as a bar until the done
 * line; other spans only their time, at debug level.
 */
public final class ProgressLog implements ProgressListener {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);

  /**
   * Marks the log event of a planned span starting; its arguments are the span's number, the number
   * of its siblings and its name.
   */
  public static final Marker STARTED = MarkerFactory.getMarker("STEP_STARTED");

  /** Marks the log event of a planned span ending, successfully or not. */
  public static final Marker DONE = MarkerFactory.getMarker("STEP_DONE");

  @Override
  public void started(Span span) {
    if (span.total() > 0) {
      LOG.debug(STARTED, "[{}/{}] {}", span.number(), span.total(), span.name());
    }
  }

  @Override
  public void finished(Span span) {
    String seconds = String.format("%.1f", span.seconds());
    if (span.total() == 0) {
      LOG.debug("{} took {} s", span.path(), seconds);
    } else if (span.isSucceeded()) {
      LOG.info(DONE, "[{}/{}] {} done in {} s", span.number(), span.total(), span.name(), seconds);
    } else {
      LOG.info(
          DONE, "[{}/{}] {} failed after {} s", span.number(), span.total(), span.name(), seconds);
    }
  }
}
