package io.imagecustomizer.resource;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.process.SystemProcessRunner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a run has set up on the host (loop devices, mounts, temporary folders), undone in
 * reverse order: on success, on failure, and on SIGINT/SIGTERM through one JVM shutdown hook, which
 * first stops the programs still running (a busy mount cannot be unmounted).
 */
public final class CleanupStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CleanupStack.class);

  /** Open stacks, oldest first; the hook closes the newest first, as the code would. */
  private static final List<CleanupStack> OPEN = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (OPEN.isEmpty()) {
                    return;
                  }
                  LOG.warn("stopping: cleaning up loop devices, mounts and temporary files");
                  SystemProcessRunner.stopAll();
                  List<CleanupStack> newestFirst = new ArrayList<>(OPEN);
                  Collections.reverse(newestFirst);
                  newestFirst.forEach(CleanupStack::closeQuietly);
                },
                "imagecustomizer-cleanup"));
  }

  private record Entry(String what, AutoCloseable resource) {}

  private final Deque<Entry> entries = new ArrayDeque<>();

  public CleanupStack() {
    OPEN.add(this);
  }

  /** Registers {@code resource} to be closed, after everything registered later. */
  public synchronized <T extends AutoCloseable> T push(String what, T resource) {
    entries.push(new Entry(what, resource));
    return resource;
  }

  /**
   * Closes everything in reverse order, carrying on past failures. A thread interrupted to stop its
   * work (a job beside a failed one) still cleans up: the process runner would refuse to wait for
   * umount in an interrupted thread, so the interrupt is held back until everything is closed.
   *
   * @throws ImageCustomizerException naming every resource that could not be cleaned up
   */
  @Override
  public synchronized void close() {
    OPEN.remove(this);
    boolean interrupted = Thread.interrupted();
    List<String> failures = new ArrayList<>();
    while (!entries.isEmpty()) {
      Entry entry = entries.pop();
      try {
        entry.resource().close();
      } catch (Exception e) {
        LOG.error("cleanup of {} failed: {}", entry.what(), e.getMessage());
        failures.add(entry.what() + ": " + e.getMessage());
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!failures.isEmpty()) {
      throw new ImageCustomizerException(
          "could not clean up: " + String.join("; ", failures),
          "check 'findmnt' and 'losetup -a' and remove what is left by hand");
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (ImageCustomizerException e) {
      LOG.error("{}", e.getMessage());
    }
  }
}
