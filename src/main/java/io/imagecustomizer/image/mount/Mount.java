package io.imagecustomizer.image.mount;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessFailedException;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mounted filesystem, unmounted on close: a few tries (something may still be finishing), then a
 * lazy unmount as a logged last resort, so a run never leaves its mounts behind.
 */
public final class Mount implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Mount.class);
  private static final int TRIES = 3;

  private final ProcessRunner runner;
  private final Path target;
  private final boolean recursive;
  private boolean unmounted;

  private Mount(ProcessRunner runner, Path target) {
    this(runner, target, false);
  }

  private Mount(ProcessRunner runner, Path target, boolean recursive) {
    this.runner = runner;
    this.target = target;
    this.recursive = recursive;
  }

  /** {@code mount [-t type] [-o options] source target}. */
  public static Mount mount(
      ProcessRunner runner,
      String source,
      Path target,
      @Nullable String type,
      List<String> options) {
    List<String> argv = new ArrayList<>(List.of("mount"));
    if (type != null) {
      argv.addAll(List.of("-t", type));
    }
    if (!options.isEmpty()) {
      argv.addAll(List.of("-o", String.join(",", options)));
    }
    argv.add(source);
    argv.add(target.toString());
    runner.run(Command.of(argv));
    return new Mount(runner, target);
  }

  /** A read-only view of a host folder at {@code target}. */
  public static Mount bindReadOnly(ProcessRunner runner, Path source, Path target) {
    Mount bind = mount(runner, source.toString(), target, null, List.of("bind"));
    runner.run(Command.of("mount", "-o", "remount,bind,ro", target.toString()));
    return bind;
  }

  /**
   * {@code source} with everything mounted under it, seen again at {@code target}, and apart from
   * it: what is mounted under {@code source} later (a chroot's /proc, /dev, /tmp) does not show at
   * {@code target}, whatever the host's propagation (shared on systemd hosts). Closing unmounts the
   * whole copy.
   */
  public static Mount recursiveCopy(ProcessRunner runner, Path source, Path target) {
    runner.run(Command.of("mount", "--rbind", source.toString(), target.toString()));
    Mount copy = new Mount(runner, target, true);
    try {
      runner.run(Command.of("mount", "--make-rprivate", target.toString()));
    } catch (RuntimeException e) {
      copy.close();
      throw e;
    }
    return copy;
  }

  public Path target() {
    return target;
  }

  @Override
  public void close() {
    if (unmounted) {
      return;
    }
    for (int attempt = 1; attempt <= TRIES; attempt++) {
      try {
        runner.run(
            recursive
                ? Command.of("umount", "--recursive", target.toString())
                : Command.of("umount", target.toString()));
        unmounted = true;
        return;
      } catch (ProcessFailedException e) {
        LOG.debug("umount {} failed (try {}): {}", target, attempt, e.getMessage());
        sleep(attempt * 500L);
      }
    }
    LOG.warn("{} is busy; detaching it lazily", target);
    runner.run(
        recursive
            ? Command.of("umount", "--recursive", "--lazy", target.toString())
            : Command.of("umount", "--lazy", target.toString()));
    unmounted = true;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
