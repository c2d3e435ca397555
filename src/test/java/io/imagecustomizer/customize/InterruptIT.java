package io.imagecustomizer.customize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.resource.MountTable;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SIGTERM in the middle of a run (the tool started as its own process, as a user would) leaves no
 * loop device, no mount and no output file, and the next run in the same build folder works.
 */
class InterruptIT {
  private static final Path JAR = Path.of("target/imagecustomizer.jar");

  @BeforeAll
  static void needsRootAndTheJar() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
    assumeTrue(Files.exists(JAR), "needs the packaged jar");
  }

  /**
   * {@code log:TEXT}: the run logged TEXT; {@code file:PATH}: PATH exists under the test folder.
   */
  private static boolean reached(String stopWhen, Path dir) throws IOException {
    String what = stopWhen.substring(stopWhen.indexOf(':') + 1);
    return stopWhen.startsWith("log:")
        ? Files.readString(dir.resolve("run.log")).contains(what)
        : Files.exists(dir.resolve(what));
  }

  @ParameterizedTest
  @CsvSource({
    "it/interrupt/packages.yaml, log:] packages, 1500, vhdx",
    "it/interrupt/hostname.yaml, file:out/.image.vhd-fixed.partial, 0, vhd-fixed"
  })
  void sigtermLeavesNothingBehind(
      String config, String stopWhen, long delayMillis, String format, @TempDir Path dir)
      throws IOException, InterruptedException {
    Path output = dir.resolve("out/image." + format);
    Process run =
        new ProcessBuilder(
                List.of(
                    "java",
                    "-jar",
                    JAR.toString(),
                    "--build-dir",
                    dir.resolve("build").toString(),
                    "--image-file",
                    TestImages.base("qcow2").toString(),
                    "--config-file",
                    "src/test/resources/" + config,
                    "--output-image-format",
                    format,
                    "--output-image-file",
                    output.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("run.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!reached(stopWhen, dir) && run.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(delayMillis);
    run.destroy();
    assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(dir.resolve("run.log"));

    assertThat(run.exitValue()).as("the run was stopped:\n" + log).isNotZero();
    assertThat(MountTable.mountPointsUnder(dir)).as(log).isEmpty();
    assertThat(LoopDevice.backedBy(new SystemProcessRunner(), dir)).as(log).isEmpty();
    assertThat(output).doesNotExist();
    assertThat(output.resolveSibling(".image." + format + ".partial")).doesNotExist();

    CliRun again =
        CliRun.customize(
            dir.resolve("build"),
            TestImages.base("qcow2"),
            Path.of("src/test/resources/it/interrupt/hostname.yaml"),
            "raw",
            dir.resolve("again.raw"));
    assertThat(again.code()).as(again.err()).isZero();
  }
}
