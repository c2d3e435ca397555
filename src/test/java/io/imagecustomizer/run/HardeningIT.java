package io.imagecustomizer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.resource.MountTable;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failures a new user met, each now one error line that names the user's file or folder and
 * what is wrong: a build dir that is a mount, two runs on one build dir, damaged inputs, no root, a
 * full disk.
 */
class HardeningIT {
  @BeforeAll
  static void needsRootAndTheJar() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
    assumeTrue(Files.exists(Runs.JAR), "needs the packaged jar");
  }

  private static CliRun hostnameToRaw(Path build, Path input, Path output) {
    return CliRun.customize(build, input, Runs.HOSTNAME, "raw", output);
  }

  private static String firstLine(CliRun run) {
    return run.err().lines().filter(l -> l.startsWith("error:")).findFirst().orElse(run.err());
  }

  @Test
  void aTmpfsBuildDirStaysMountedAndIsUsed(@TempDir Path dir) throws IOException {
    Path build = dir.resolve("build");
    Runs.tmpfs(build, "3g");
    Path cache = build.resolve("cache");
    try {
      Runs.tmpfs(cache, "16m");
      Files.writeString(cache.resolve("mine"), "the user's\n");
      // A leftover of ours from a killed run: this one must go.
      Runs.tmpfs(build.resolve("imageroot"), "16m");

      CliRun run = hostnameToRaw(build, TestImages.base("qcow2"), dir.resolve("out.raw"));

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(MountTable.mountPointsUnder(build)).containsExactly(cache, build);
      assertThat(cache.resolve("mine")).hasContent("the user's");
      assertThat(build.resolve(".imagecustomizer.lock")).exists();
      assertThat(dir.resolve("out.raw")).exists();
    } finally {
      Runs.unmount(cache);
      Runs.unmount(build.resolve("imageroot"));
      Runs.unmount(build);
    }
  }

  @Test
  void aSecondRunOnTheSameBuildDirIsRefusedAndTheFirstSucceeds(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path build = dir.resolve("build");
    Path timestamps = dir.resolve("first.jsonl");
    Process first =
        Runs.start(
            List.of(),
            dir.resolve("first.log"),
            "--build-dir",
            build.toString(),
            "--image-file",
            TestImages.base("qcow2").toString(),
            "--config-file",
            Runs.HOSTNAME.toString(),
            "--output-image-format",
            "raw",
            "--output-image-file",
            dir.resolve("first.raw").toString(),
            "--timestamp-file",
            timestamps.toString());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (Runs.stages(timestamps).size() < 2 && first.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    CliRun second = hostnameToRaw(build, TestImages.base("qcow2"), dir.resolve("second.raw"));

    assertThat(first.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String log = Files.readString(dir.resolve("first.log"));
    assertThat(second.code()).isEqualTo(1);
    assertThat(firstLine(second))
        .isEqualTo("error: build dir " + build + " is in use by run PID " + first.pid());
    assertThat(first.exitValue()).as(log).isZero();
    assertThat(dir.resolve("first.raw")).exists();
    assertThat(dir.resolve("second.raw")).doesNotExist();
  }

  @Test
  void aRunKilledWithSigkillLeavesALockAndMountsThatTheNextRunTakesOver(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path build = dir.resolve("build");
    Path timestamps = dir.resolve("killed.jsonl");
    Process killed =
        Runs.start(
            List.of(),
            dir.resolve("killed.log"),
            "--build-dir",
            build.toString(),
            "--image-file",
            TestImages.base("qcow2").toString(),
            "--config-file",
            Runs.HOSTNAME.toString(),
            "--output-image-format",
            "iso",
            "--output-image-file",
            dir.resolve("killed.iso").toString(),
            "--timestamp-file",
            timestamps.toString());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!Runs.running(timestamps).equals(java.util.Optional.of("write live os"))
        && killed.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    // No shutdown hook runs: the image stays mounted and attached, the lock file keeps the PID.
    // Its programs would live on as orphans (as with any SIGKILL): stopped here, not by the tool.
    List<ProcessHandle> programs = killed.descendants().toList();
    killed.destroyForcibly().waitFor();
    programs.forEach(ProcessHandle::destroyForcibly);
    assertThat(MountTable.mountPointsUnder(build)).isNotEmpty();
    assertThat(build.resolve(".imagecustomizer.lock")).hasContent(killed.pid() + "\n");

    CliRun next = hostnameToRaw(build, TestImages.base("qcow2"), dir.resolve("next.raw"));

    assertThat(next.code()).as(next.err()).isZero();
    assertThat(MountTable.mountPointsUnder(build)).isEmpty();
    assertThat(LoopDevice.backedBy(new SystemProcessRunner(), build)).isEmpty();
  }

  @Test
  void aTruncatedQcow2IsNamedAndSaidToBeTruncated(@TempDir Path dir) throws IOException {
    Path input = dir.resolve("cut.qcow2");
    Files.copy(TestImages.base("qcow2"), input);
    try (RandomAccessFile copy = new RandomAccessFile(input.toFile(), "rw")) {
      copy.setLength(Files.size(input) / 2);
    }

    CliRun run = hostnameToRaw(dir.resolve("build"), input, dir.resolve("out.raw"));

    assertThat(run.code()).isEqualTo(1);
    assertThat(firstLine(run))
        .startsWith("error: the input image " + input + " is damaged: it is truncated (qemu-img");
  }

  @Test
  void randomBytesAreNamedAndSaidToHaveNoPartitionTable(@TempDir Path dir) throws IOException {
    byte[] noise = new byte[8 << 20];
    new Random(11).nextBytes(noise);
    Path raw = Files.write(dir.resolve("noise.raw"), noise);
    Path qcow2 = Files.write(dir.resolve("noise.qcow2"), noise);

    CliRun asRaw = hostnameToRaw(dir.resolve("build"), raw, dir.resolve("out.raw"));
    CliRun asQcow2 = hostnameToRaw(dir.resolve("build"), qcow2, dir.resolve("out.raw"));

    assertThat(firstLine(asRaw))
        .isEqualTo(
            "error: the input image "
                + raw
                + " is damaged: its partition table cannot be read: it has no GPT partition table"
                + " (no \"EFI PART\" header at byte 512)");
    assertThat(firstLine(asQcow2))
        .isEqualTo(
            "error: the input image "
                + qcow2
                + " is not what its name says: it is named .qcow2 but holds raw data (no qcow2,"
                + " vhd, vhdx or ISO 9660 header)");
  }

  @Test
  void aZeroedGptIsNamedAndSaidToBeUnreadable(@TempDir Path dir) throws IOException {
    // The image's first 64 MiB hold the whole partition table; zero its header and entries.
    Path input = dir.resolve("zeroed-gpt.raw");
    try (RandomAccessFile source = new RandomAccessFile(TestImages.base("raw").toFile(), "r");
        RandomAccessFile copy = new RandomAccessFile(input.toFile(), "rw")) {
      byte[] start = new byte[64 << 20];
      source.readFully(start);
      java.util.Arrays.fill(start, 512, 34 * 512, (byte) 0);
      copy.write(start);
    }

    CliRun run = hostnameToRaw(dir.resolve("build"), input, dir.resolve("out.raw"));

    assertThat(firstLine(run))
        .startsWith(
            "error: the input image " + input + " is damaged: its partition table cannot be read");
  }

  @Test
  void withoutRootCustomizeSaysWhyItNeedsRootAndValidateConfigWorks(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path shared = Files.createTempDirectory(Path.of("/tmp"), "nonroot-");
    try {
      Files.setPosixFilePermissions(
          shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
      List<String> nobody =
          List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--");
      Process customize =
          Runs.start(
              nobody,
              dir.resolve("customize.log"),
              "--build-dir",
              shared.resolve("build").toString(),
              "--image-file",
              TestImages.base("qcow2").toAbsolutePath().toString(),
              "--config-file",
              Runs.HOSTNAME.toAbsolutePath().toString(),
              "--output-image-format",
              "raw",
              "--output-image-file",
              shared.resolve("out.raw").toString());
      Process validate =
          Runs.start(
              nobody,
              dir.resolve("validate.log"),
              "validate-config",
              "--config-file",
              Runs.HOSTNAME.toAbsolutePath().toString());
      assertThat(customize.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(validate.waitFor(2, TimeUnit.MINUTES)).isTrue();
      String log = Files.readString(dir.resolve("customize.log"));

      assertThat(customize.exitValue()).as(log).isEqualTo(1);
      assertThat(log.lines().filter(l -> l.startsWith("error:")).findFirst())
          .hasValueSatisfying(
              line ->
                  assertThat(line)
                      .startsWith("error: customize must run as root (it runs as uid ")
                      .contains("loop devices", "mounts them", "chroot"));
      assertThat(shared.resolve("build")).doesNotExist();
      assertThat(validate.exitValue()).as(Files.readString(dir.resolve("validate.log"))).isZero();
    } finally {
      io.imagecustomizer.resource.TempDir.deleteTree(shared);
    }
  }

  @Test
  void aBuildDirTooSmallIsRefusedBeforeAnyWorkWithBothNumbers(@TempDir Path dir)
      throws IOException {
    Path build = dir.resolve("build");
    Runs.tmpfs(build, "200m");
    try {
      CliRun run = hostnameToRaw(build, TestImages.base("qcow2"), dir.resolve("out.raw"));

      assertThat(run.code()).isEqualTo(1);
      assertThat(firstLine(run))
          .matches(
              "error: not enough space in "
                  + build
                  + ": this run needs at least [0-9.]+ MiB but only"
                  + " 200.0 MiB is free");
      assertThat(build.resolve("image.raw")).doesNotExist();
    } finally {
      Runs.unmount(build);
    }
  }

  @Test
  void aBuildDirFillingUpMidRunIsNamedInTheFirstLine(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path build = dir.resolve("build");
    Runs.ext4(dir.resolve("fs.img"), build, "4G");
    try {
      Path timestamps = dir.resolve("run.jsonl");
      Process run =
          Runs.start(
              List.of(),
              dir.resolve("run.log"),
              "--build-dir",
              build.toString(),
              "--image-file",
              TestImages.base("qcow2").toString(),
              "--config-file",
              Runs.HOSTNAME.toString(),
              "--output-image-format",
              "raw",
              "--output-image-file",
              dir.resolve("out.raw").toString(),
              "--timestamp-file",
              timestamps.toString());
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (!Runs.running(timestamps).equals(java.util.Optional.of("convert to raw"))
          && run.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Runs.fill(build);
      assertThat(run.waitFor(5, TimeUnit.MINUTES)).isTrue();
      String log = Files.readString(dir.resolve("run.log"));

      assertThat(run.exitValue()).as(log).isEqualTo(1);
      assertThat(log.lines().filter(l -> l.startsWith("error:")).findFirst())
          .as(log)
          .hasValue("error: no space left on device: " + build + " is full");
      assertThat(build.resolve("image.raw")).doesNotExist();
    } finally {
      Runs.unmount(build);
    }
  }
}
