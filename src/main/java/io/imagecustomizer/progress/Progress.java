package io.imagecustomizer.progress;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timing events of one run: stages, OS steps and the jobs inside them open {@link Span}s, and
 * every listener (the log and progress bar, {@code --timestamp-file}, the end-of-run summary) reads
 * the same events, so no consumer has to parse log wording.
 */
public final class Progress {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

  private final List<ProgressListener> listeners = new CopyOnWriteArrayList<>();
  private final Deque<Span> open = new ArrayDeque<>();
  private final List<Span> finished = new ArrayList<>();
  private final Clock clock;
  private final LongSupplier nanoTime;
  private long nextId;

  public Progress() {
    this(Clock.systemUTC(), System::nanoTime);
  }

  Progress(Clock clock, LongSupplier nanoTime) {
    this.clock = clock;
    this.nanoTime = nanoTime;
  }

  public Progress listen(ProgressListener listener) {
    listeners.add(listener);
    return this;
  }

  /** Opens a span with no planned count, as a child of the innermost open span. */
  public Span start(String name) {
    return start(name, 0, 0);
  }

  /** Opens a span that is the {@code number}th of {@code total} planned siblings. */
  public synchronized Span start(String name, int number, int total) {
    Instant now = clock.instant();
    Span span =
        new Span(this, nextId++, open.peek(), name, number, total, now, nanoTime.getAsLong());
    open.push(span);
    for (ProgressListener listener : listeners) {
      notify(() -> listener.started(span));
    }
    return span;
  }

  /**
   * Opens a span that runs beside others, in another thread: a child of the innermost open span,
   * but never the parent of a span opened after it, and closed on its own.
   */
  public synchronized Span startBeside(String name) {
    Span span =
        new Span(this, nextId++, open.peek(), name, 0, 0, clock.instant(), nanoTime.getAsLong());
    for (ProgressListener listener : listeners) {
      notify(() -> listener.started(span));
    }
    return span;
  }

  /** The spans closed so far, in the order they closed. */
  public synchronized List<Span> finished() {
    return List.copyOf(finished);
  }

  /** The innermost open span, if any. */
  public synchronized @Nullable Span current() {
    return open.peek();
  }

  long nanoTime() {
    return nanoTime.getAsLong();
  }

  synchronized void finished(Span span) {
    if (!open.contains(span)) {
      // opened by startBeside: never on the stack
      record(span);
      return;
    }
    // Spans close innermost first (try-with-resources); one closed out of order ends the spans
    // opened inside it too, so the tree stays well formed.
    while (open.contains(span)) {
      Span top = open.pop();
      if (top == span || top.end()) {
        record(top);
      }
    }
  }

  private void record(Span span) {
    finished.add(span);
    for (ProgressListener listener : listeners) {
      notify(() -> listener.finished(span));
    }
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("progress listener failed: {}", e.toString());
    }
  }
}
