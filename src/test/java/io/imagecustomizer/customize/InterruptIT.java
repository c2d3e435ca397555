package io.imagecustomizer.customize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.cli.Main;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.resource.MountTable;
import io.imagecustomizer.testing.TestImages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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

  @ParameterizedTest
  @CsvSource({
    "it/interrupt/packages.yaml, '] packages', vhdx",
    "it/interrupt/hostname.yaml, Writing, vhd-fixed"
  })
  void sigtermLeavesNothingBehind(String config, String stopAt, String format, @TempDir Path dir)
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
            .start();
    StringBuilder log = new StringBuilder();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        log.append(line).append('\n');
        if (line.contains(stopAt)) {
          Thread.sleep(1500);
          run.destroy();
          break;
        }
      }
      assertThat(run.waitFor(120, TimeUnit.SECONDS)).as(log.toString()).isTrue();
      lines.lines().forEach(l -> log.append(l).append('\n'));
    }

    assertThat(run.exitValue()).as("the run was stopped:\n" + log).isNotZero();
    assertThat(MountTable.mountPointsUnder(dir)).as(log.toString()).isEmpty();
    assertThat(LoopDevice.backedBy(new SystemProcessRunner(), dir)).as(log.toString()).isEmpty();
    assertThat(output).doesNotExist();
    assertThat(output.resolveSibling(".image." + format + ".partial")).doesNotExist();

    StringWriter err = new StringWriter();
    int again =
        Main.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "--build-dir",
            dir.resolve("build").toString(),
            "--image-file",
            TestImages.base("qcow2").toString(),
            "--config-file",
            "src/test/resources/it/interrupt/hostname.yaml",
            "--output-image-format",
            "raw",
            "--output-image-file",
            dir.resolve("again.raw").toString());
    assertThat(again).as(err.toString()).isZero();
  }
}
