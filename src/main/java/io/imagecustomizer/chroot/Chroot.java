package io.imagecustomizer.chroot;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.image.mount.Mount;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessFailedException;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.resource.CleanupStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The image's root prepared to run its own programs: fresh /proc, /sys, /dev, /dev/pts, /run and
 * /tmp mounted inside it. Each program runs in new mount, PID, IPC and UTS namespaces whose root is
 * the image's (pivot_root), so it cannot change the host's hostname or mounts, sees no host mount
 * and holds none, and nothing it starts outlives it.
 */
public final class Chroot implements ImageShell, AutoCloseable {
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /**
   * Makes the image's root (with what is mounted in it) the namespace's only tree, then runs the
   * image's env with the arguments after the root. A chroot alone would leave the new namespace a
   * copy of every host mount, and another run's image mounted at that moment would stay pinned, its
   * loop device busy, until this program ends; pivot_root and a lazy unmount of the old root let
   * every such copy go at once.
   */
  private static final String ENTER =
      "mount --rbind \"$1\" \"$1\" && cd \"$1\" && pivot_root . . && umount -l . && shift"
          + " && exec /usr/bin/env \"$@\"";

  private static final String[][] DEVICES = {
    {"null", "1", "3"}, {"zero", "1", "5"}, {"full", "1", "7"},
    {"random", "1", "8"}, {"urandom", "1", "9"}, {"tty", "5", "0"}
  };

  private final ProcessRunner runner;
  private final ImageRoot root;
  private final Map<String, String> environment;
  private final CleanupStack mounts = new CleanupStack();

  private Chroot(ProcessRunner runner, ImageRoot root, Map<String, String> environment) {
    this.runner = runner;
    this.root = root;
    this.environment = Map.copyOf(environment);
  }

  public static Chroot enter(ProcessRunner runner, ImageRoot root) {
    return enter(runner, root, Map.of());
  }

  /**
   * @param environment variables every program run inside gets, beside its own (the run's
   *     SOURCE_DATE_EPOCH): the host's environment never gets in
   */
  public static Chroot enter(
      ProcessRunner runner, ImageRoot root, Map<String, String> environment) {
    Chroot chroot = new Chroot(runner, root, environment);
    try {
      chroot.mount("proc", "/proc", "proc", List.of("nosuid", "noexec", "nodev"));
      chroot.mount("sysfs", "/sys", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
      chroot.mount("tmpfs", "/dev", "tmpfs", List.of("nosuid", "mode=755"));
      chroot.deviceNodes();
      chroot.mount(
          "devpts",
          "/dev/pts",
          "devpts",
          List.of("gid=5", "mode=620", "newinstance", "ptmxmode=0666"));
      chroot.mount("tmpfs", "/run", "tmpfs", List.of("nosuid", "nodev", "mode=755"));
      chroot.mount("tmpfs", "/tmp", "tmpfs", List.of("nosuid", "nodev", "mode=1777"));
      return chroot;
    } catch (RuntimeException e) {
      chroot.close();
      throw e;
    }
  }

  /**
   * The few device nodes programs expect. /dev is a fresh tmpfs rather than the host's devtmpfs, so
   * nothing a package script does under /dev reaches the host.
   */
  private void deviceNodes() {
    Path dev = root.resolve("/dev");
    for (String[] node : DEVICES) {
      runner.run(
          Command.of("mknod", "-m", "666", dev.resolve(node[0]).toString(), "c", node[1], node[2]));
    }
    try {
      Files.createSymbolicLink(dev.resolve("fd"), Path.of("/proc/self/fd"));
      Files.createSymbolicLink(dev.resolve("stdin"), Path.of("/proc/self/fd/0"));
      Files.createSymbolicLink(dev.resolve("stdout"), Path.of("/proc/self/fd/1"));
      Files.createSymbolicLink(dev.resolve("stderr"), Path.of("/proc/self/fd/2"));
      Files.createSymbolicLink(dev.resolve("ptmx"), Path.of("pts/ptmx"));
      Files.createDirectories(dev.resolve("shm"));
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot populate the image's /dev", e);
    }
  }

  private void mount(String source, String imagePath, String type, List<String> options) {
    Path target = root.createDirectories(imagePath, ImageRoot.DEFAULT_DIR);
    mounts.push("mount of " + imagePath, Mount.mount(runner, source, target, type, options));
  }

  @Override
  public String run(
      String what, List<String> argv, Map<String, String> environment, @Nullable String stdin) {
    List<String> full =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--pid",
                "--ipc",
                "--uts",
                "--fork",
                "--kill-child",
                "sh",
                "-c",
                ENTER,
                "enter",
                root.hostPath().toString(),
                "-i",
                "PATH=" + PATH,
                "HOME=/root",
                "TERM=dumb",
                "LANG=C.UTF-8"));
    this.environment.forEach((key, value) -> full.add(key + "=" + value));
    environment.forEach((key, value) -> full.add(key + "=" + value));
    full.addAll(argv);
    Command command =
        Command.of(full)
            .withStdin(stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8))
            .streamingOutput();
    try {
      return runner.run(command).stdout();
    } catch (ProcessFailedException e) {
      throw new ImageCustomizerException(
          "cannot " + what + " inside the image: " + e.getMessage(), e.hint(), e);
    }
  }

  @Override
  public AutoCloseable bindReadOnly(Path hostFolder, String imagePath) {
    Path target = root.createDirectories(imagePath, ImageRoot.DEFAULT_DIR);
    Mount bind = Mount.bindReadOnly(runner, hostFolder, target);
    return () -> {
      bind.close();
      try {
        Files.deleteIfExists(target);
      } catch (IOException e) {
        throw ImageCustomizerException.io("cannot remove " + target, e);
      }
    };
  }

  /** Unmounts what {@link #enter} mounted, in reverse. */
  @Override
  public void close() {
    mounts.close();
  }
}
