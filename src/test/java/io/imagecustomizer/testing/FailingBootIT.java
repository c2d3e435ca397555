package io.imagecustomizer.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness reports a failing boot by its failure pattern, well before the timeout. */
class FailingBootIT {
  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  @Test
  void kernelCommandLineWithoutRootFailsFast(@TempDir Path dir) {
    Path image = dir.resolve("no-root.raw");
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "--build-dir",
            dir.resolve("build").toString(),
            "--image-file",
            TestImages.base("raw").toString(),
            "--config-file",
            "src/test/resources/it/no-root/config.yaml",
            "--output-image-format",
            "raw",
            "--output-image-file",
            image.toString());
    assertThat(code).as(err.toString()).isZero();
    Duration timeout = Duration.ofMinutes(6);

    BootResult boot = BootHarness.boot("no-root", new BootHarness.Disk(image, "raw"), timeout);

    assertThat(boot.booted()).isFalse();
    assertThat(boot.failure()).as(boot.toString()).isNotNull();
    assertThat(boot.elapsed()).isLessThan(timeout.dividedBy(2));
  }
}
