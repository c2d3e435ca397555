package io.imagecustomizer.image.loop;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loop device over one byte range of an image file. The kernel here does not scan loop devices
 * for partitions, so each partition gets its own device through {@code --offset/--sizelimit}.
 */
public final class LoopDevice implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoopDevice.class);
  private final ProcessRunner runner;
  private final String device;
  private boolean detached;

  private LoopDevice(ProcessRunner runner, String device) {
    this.runner = runner;
    this.device = device;
  }

  public static LoopDevice attach(
      ProcessRunner runner, Path file, long offset, long size, boolean readOnly) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "losetup",
                "--find",
                "--show",
                "--offset",
                Long.toString(offset),
                "--sizelimit",
                Long.toString(size)));
    if (readOnly) {
      argv.add("--read-only");
    }
    argv.add(file.toAbsolutePath().toString());
    String device = runner.run(Command.of(argv)).stdout().strip();
    if (!device.startsWith("/dev/loop")) {
      throw new ImageCustomizerException("losetup did not name a loop device: " + device);
    }
    return new LoopDevice(runner, device);
  }

  /** {@code /dev/loopN}. */
  public String device() {
    return device;
  }

  /** Detaches the device and waits until the kernel has let it go. */
  @Override
  public void close() {
    if (detached) {
      return;
    }
    runner.run(Command.of("losetup", "--detach", device));
    detached = true;
    Path backing = Path.of("/sys/block", Path.of(device).getFileName().toString(), "loop");
    for (int i = 0; i < 50 && Files.exists(backing); i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (Files.exists(backing)) {
      // The kernel detaches a device still open elsewhere once it is closed: a mount namespace
      // made while our filesystem was mounted (another run's chroot) keeps a copy of the mount.
      LOG.warn("{} is still in use; the kernel detaches it once its last user lets go", device);
    }
  }

  /**
   * Loop devices whose backing file is inside {@code folder} and that are still attached (leftovers
   * of a killed run). A device already detached while something held it open has its autoclear flag
   * set and is not listed: the kernel frees it when its last user lets go, typically another run's
   * chroot, whose mount namespace was copied while our filesystem was mounted.
   */
  public static List<String> backedBy(ProcessRunner runner, Path folder) {
    return attachedUnder(list(runner), folder);
  }

  /**
   * Every loop device over {@code file}, those only waiting for their last user to let go included:
   * while one exists, a filesystem of the file may still be mounted somewhere and written when it
   * is released.
   */
  public static List<String> over(ProcessRunner runner, Path file) {
    return over(list(runner), file, false);
  }

  private static String list(ProcessRunner runner) {
    return runner
        .run(
            Command.of("losetup", "--list", "--noheadings", "--output", "NAME,AUTOCLEAR,BACK-FILE"))
        .stdout();
  }

  static List<String> attachedUnder(String listing, Path folder) {
    return over(listing, folder, true);
  }

  static List<String> over(String listing, Path path, boolean attachedOnly) {
    List<String> devices = new ArrayList<>();
    for (String line : listing.lines().toList()) {
      String[] fields = line.trim().split("\\s+", 3);
      if (fields.length == 3
          && (!attachedOnly || fields[1].equals("0"))
          && Path.of(fields[2].replace(" (deleted)", "")).startsWith(path)) {
        devices.add(fields[0]);
      }
    }
    return devices;
  }

  /** Detaches a device found by {@link #backedBy}. */
  public static void detach(ProcessRunner runner, String device) {
    runner.run(Command.of("losetup", "--detach", device));
  }
}
