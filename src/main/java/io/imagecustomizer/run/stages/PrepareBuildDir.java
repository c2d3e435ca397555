package io.imagecustomizer.run.stages;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.resource.BuildDirLock;
import io.imagecustomizer.resource.MountTable;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import io.imagecustomizer.run.Workspace;
import io.imagecustomizer.storage.NewDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the build folder, takes its lock for the whole run, and only then undoes what a killed
 * earlier run left mounted or attached: a live run's mounts are never touched, and of the rest only
 * what carries our mark (mounts in the folders {@link Workspace} names, loop devices over our
 * working copy). The build folder may itself be a mount (a tmpfs, a dedicated disk) and the user
 * may mount things inside it; those stay.
 */
public final class PrepareBuildDir implements RunStage {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareBuildDir.class);
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  @Override
  public String name() {
    return "prepare build dir";
  }

  @Override
  public Set<String> applies() {
    return Set.of();
  }

  @Override
  public void run(RunContext run) {
    Workspace workspace = run.workspace();
    Path buildDir = workspace.buildDir();
    try {
      Files.createDirectories(buildDir);
    } catch (IOException e) {
      throw new ImageCustomizerException(
          "cannot create " + buildDir + ": " + e.getMessage(),
          "check the path and its permissions",
          e);
    }
    // First on the run's stack, so released last, after every mount and loop device is gone.
    run.resources().push("lock of " + buildDir, BuildDirLock.take(buildDir));
    undoLeftovers(run, "from an earlier run");
    // A signal can stop losetup or mount after the kernel attached or mounted but before we
    // learnt of it; so nothing of ours outlives the run, the same sweep ends it.
    Thread runThread = Thread.currentThread();
    run.resources()
        .push(
            "leftovers in " + buildDir,
            () -> {
              if (Thread.currentThread() != runThread) {
                awaitStopped(runThread);
              }
              undoLeftovers(run, "at the end");
            });
  }

  /**
   * On SIGINT/SIGTERM the cleanup runs in the shutdown hook while the run's thread goes on: a
   * program whose failure it tolerates (blkid) lets it attach and mount more after the hook swept.
   * Interrupted, the run's thread has every further program stopped at once; the sweep waits (a few
   * seconds at most) until it starts no more programs.
   */
  private static void awaitStopped(Thread runThread) {
    runThread.interrupt();
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    int quiet = 0;
    while (quiet < 3 && System.nanoTime() < deadline) {
      boolean idle =
          runThread.getState() != Thread.State.RUNNABLE
              && ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive);
      quiet = idle ? quiet + 1 : 0;
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void undoLeftovers(RunContext run, String when) {
    Workspace workspace = run.workspace();
    for (Path mount : MountTable.mountPointsUnder(workspace.buildDir())) {
      if (isOurs(workspace, mount)) {
        LOG.warn("{} is still mounted {}; unmounting it", mount, when);
        run.runner().run(Command.of("umount", "--lazy", mount.toString()));
      } else if (!mount.equals(workspace.buildDir())) {
        LOG.debug("{} is mounted inside the build dir but not by us; left alone", mount);
      }
    }
    boolean detached = false;
    for (Path raw : workingCopyNames(workspace)) {
      for (String device : LoopDevice.backedBy(run.runner(), raw)) {
        LOG.warn("{} over {} is still attached {}; detaching it", device, raw, when);
        LoopDevice.detach(run.runner(), device);
        detached = true;
      }
    }
    if (detached) {
      awaitDetached(run, workspace);
    }
  }

  /**
   * A loop device under a lazily unmounted filesystem goes only once the kernel lets go of that
   * filesystem; wait for it (a few seconds at most), so that no device outlives the run.
   */
  private static void awaitDetached(RunContext run, Workspace workspace) {
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    while (System.nanoTime() < deadline
        && workingCopyNames(workspace).stream()
            .anyMatch(raw -> !LoopDevice.backedBy(run.runner(), raw).isEmpty())) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Whether {@code mount} lies in a folder a run of ours mounts in: the working copy's mount, the
   * sibling where OsImage probes partitions for the root filesystem, or a Live OS work folder.
   */
  static boolean isOurs(Workspace workspace, Path mount) {
    Path buildDir = workspace.buildDir();
    if (!mount.startsWith(buildDir) || mount.equals(buildDir)) {
      return false;
    }
    Path imageMount = workspace.imageMount();
    Path probe = imageMount.resolveSibling(imageMount.getFileName() + "-probe");
    Path newImage = workspace.newImageMount();
    String top = buildDir.relativize(mount).getName(0).toString();
    return mount.startsWith(imageMount)
        || mount.startsWith(probe)
        || mount.startsWith(newImage)
        || mount.startsWith(NewDisk.topLevelMount(newImage))
        || top.startsWith(Workspace.liveOsWorkPrefix() + "-");
  }

  /** The working copy as we name it and as the kernel names it (symlinks in the path resolved). */
  private static Set<Path> workingCopyNames(Workspace workspace) {
    Set<Path> names = new LinkedHashSet<>();
    names.add(workspace.rawImage());
    try {
      names.add(workspace.buildDir().toRealPath().resolve(workspace.rawImage().getFileName()));
    } catch (IOException e) {
      LOG.debug("cannot resolve {}: {}", workspace.buildDir(), e.getMessage());
    }
    return names;
  }
}
