package io.imagecustomizer.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    CliRun run =
        CliRun.customize(
            dir.resolve("build"),
            TestImages.base("raw"),
            Path.of("src/test/resources/it/no-root/config.yaml"),
            "raw",
            image);
    assertThat(run.code()).as(run.err()).isZero();
    Duration timeout = Duration.ofMinutes(6);

    BootResult boot = BootHarness.boot("no-root", new BootHarness.Disk(image, "raw"), timeout);

    assertThat(boot.booted()).isFalse();
    assertThat(boot.failure()).as(boot.toString()).isNotNull();
    assertThat(boot.elapsed()).isLessThan(timeout.dividedBy(2));
  }
}
