package io.imagecustomizer.progress;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One timed piece of a run (a stage, an OS step, a job inside a stage), open from {@link
 * Progress#start} until closed. Spans nest: one started while another is open is its child. A span
 * closed without {@link #succeeded()} counts as failed.
 */
public final class Span implements AutoCloseable {
  private final Progress progress;
  private final long id;
  private final @Nullable Span parent;
  private final String name;
  private final int number;
  private final int total;
  private final Instant startTime;
  private final long startNanos;
  private @Nullable Instant endTime;
  private long endNanos;
  private boolean succeeded;

  Span(
      Progress progress,
      long id,
      @Nullable Span parent,
      String name,
      int number,
      int total,
      Instant startTime,
      long startNanos) {
    this.progress = progress;
    this.id = id;
    this.parent = parent;
    this.name = name;
    this.number = number;
    this.total = total;
    this.startTime = startTime;
    this.startNanos = startNanos;
  }

  public long id() {
    return id;
  }

  public @Nullable Span parent() {
    return parent;
  }

  public String name() {
    return name;
  }

  /** The names from the outermost span down to this one, joined by '/' (upstream's form). */
  public String path() {
    return parent == null ? name : parent.path() + "/" + name;
  }

  /** Nesting depth: 0 for a span started with nothing open. */
  public int depth() {
    return parent == null ? 0 : parent.depth() + 1;
  }

  /** Position among its siblings as planned (1-based), or 0 when the plan has no count. */
  public int number() {
    return number;
  }

  /** How many siblings were planned, or 0 when unknown. */
  public int total() {
    return total;
  }

  public Instant startTime() {
    return startTime;
  }

  public @Nullable Instant endTime() {
    return endTime;
  }

  /** Time from start to close (or to now, while open). */
  public Duration elapsed() {
    long end = endTime == null ? progress.nanoTime() : endNanos;
    return Duration.ofNanos(end - startNanos);
  }

  public double seconds() {
    return elapsed().toNanos() / 1e9;
  }

  public boolean isSucceeded() {
    return succeeded;
  }

  /** Marks the work as done; call it last inside the try block. */
  public void succeeded() {
    succeeded = true;
  }

  @Override
  public void close() {
    if (end()) {
      progress.finished(this);
    }
  }

  /** Sets the end time; false when the span had already ended. */
  boolean end() {
    if (endTime != null) {
      return false;
    }
    endNanos = progress.nanoTime();
    endTime = startTime.plusNanos(endNanos - startNanos);
    return true;
  }
}
