package io.imagecustomizer.process;

import io.imagecustomizer.error.ImageCustomizerException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two jobs run at once, each in its own thread. The first to fail stops the other, by interrupting
 * its thread: {@link SystemProcessRunner} stops the program it waits for, and the next it would
 * start. Only when both have ended is the first failure thrown, so nothing of either still runs
 * while the caller cleans up.
 */
public final class SideBySide {
  private static final Logger LOG = LoggerFactory.getLogger(SideBySide.class);

  private SideBySide() {}

  public static void run(Runnable first, Runnable second) {
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2,
            job -> {
              Thread thread = new Thread(job, "side-by-side");
              // a signal's cleanup must not wait for them: it stops their programs itself
              thread.setDaemon(true);
              return thread;
            });
    CompletionService<Void> jobs = new ExecutorCompletionService<>(threads);
    jobs.submit(first, null);
    jobs.submit(second, null);
    Throwable failure = null;
    boolean interrupted = false;
    try {
      for (int ended = 0; ended < 2; ) {
        try {
          jobs.take().get();
          ended++;
        } catch (ExecutionException e) {
          ended++;
          if (failure == null) {
            failure = e.getCause();
            threads.shutdownNow();
          } else {
            // stopped because the other failed: that failure is the one to report
            LOG.debug("the job beside a failed one stopped: {}", e.getCause().toString());
          }
        } catch (InterruptedException e) {
          // The caller is asked to stop: both jobs are stopped, and still waited for.
          interrupted = true;
          threads.shutdownNow();
          if (failure == null) {
            failure = new ImageCustomizerException("interrupted");
          }
        }
      }
    } finally {
      threads.shutdownNow();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }
}
