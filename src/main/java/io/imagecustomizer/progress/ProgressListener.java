package io.imagecustomizer.progress;

/** Told of every span of a run as it starts and ends; listeners must not throw. */
public interface ProgressListener {
  void started(Span span);

  /** The span has closed: {@link Span#isSucceeded()} says how it ended. */
  void finished(Span span);
}
