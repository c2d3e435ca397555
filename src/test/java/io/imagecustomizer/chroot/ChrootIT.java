package io.imagecustomizer.chroot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.image.mount.Mount;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.testing.TestImages;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program run in the image sees the image's mounts only, and holds no copy of the host's: a
 * filesystem another run mounted before it started can be unmounted and its loop device freed while
 * it still runs (two runs on one host, or CI's two forks, no longer wait on each other).
 */
class ChrootIT {
  private static final long MIB = 1024 * 1024;

  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  @Test
  void programsSeeOnlyTheImageAndPinNoOtherMount(@TempDir Path dir) throws Exception {
    ProcessRunner runner = new SystemProcessRunner();
    // Another run's filesystem, mounted before our program starts.
    Path other = dir.resolve("other.ext4");
    try (RandomAccessFile file = new RandomAccessFile(other.toFile(), "rw")) {
      file.setLength(32 * MIB);
    }
    runner.run(Command.of("mkfs.ext4", "-q", other.toString()));
    LoopDevice otherLoop = LoopDevice.attach(runner, other, 0, 32 * MIB, false);
    Path otherMount = Files.createDirectories(dir.resolve("other-run/imageroot"));
    Mount otherFs = Mount.mount(runner, otherLoop.device(), otherMount, "ext4", List.of());

    try (OsImage image =
            OsImage.open(runner, TestImages.base("raw"), dir.resolve("imageroot"), true);
        Chroot chroot = Chroot.enter(runner, image.root())) {
      String mounts = chroot.run("list the mounts", "cat", "/proc/self/mountinfo");
      assertThat(mounts).as("no host mount is visible").doesNotContain(dir.toString());
      assertThat(mounts.lines().map(line -> line.split(" ")[4]))
          .contains("/", "/proc", "/dev", "/tmp");

      CompletableFuture<String> sleeping =
          CompletableFuture.supplyAsync(() -> chroot.run("sleep", "sleep", "20"));
      Thread.sleep(3000);
      otherFs.close();
      otherLoop.close();
      String name = Path.of(otherLoop.device()).getFileName().toString();
      assertThat(Path.of("/sys/block", name, "loop"))
          .as("the other run's loop device is freed while our program runs")
          .doesNotExist();
      assertThat(sleeping).isNotDone();
      sleeping.get(60, TimeUnit.SECONDS);
    }
  }
}
