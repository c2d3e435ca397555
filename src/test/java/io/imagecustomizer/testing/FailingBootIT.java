package io.imagecustomizer.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.testing.TestImages.Variant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness reports a failing boot by its failure pattern, well before the timeout. Without
 * rd.retry/rd.timeout, dracut waits about 350 s for a missing root under TCG.
 */
class FailingBootIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(6);

  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  @Test
  void imageWithoutRootOnItsCommandLine(@TempDir Path dir) {
    Path image = dir.resolve("no-root.raw");
    CliRun run =
        CliRun.customize(
            dir.resolve("build"),
            TestImages.base("raw"),
            Path.of("src/test/resources/it/no-root/config.yaml"),
            "raw",
            image);
    assertThat(run.code()).as(run.err()).isZero();

    BootResult boot = BootHarness.boot("no-root", new BootHarness.Disk(image, "raw"), TIMEOUT);

    assertThat(boot.booted()).isFalse();
    assertThat(boot.failure()).as(boot.toString()).startsWith("Entering emergency mode");
    assertThat(boot.elapsed()).isLessThan(TIMEOUT.dividedBy(3));
  }

  @Test
  void rootDeviceThatNeverAppears() throws IOException {
    UUID missing = UUID.randomUUID();
    // rd.timeout bounds systemd's wait for the root device; rd.retry dracut's initqueue.
    String append = "root=UUID=" + missing + " ro console=ttyS0,115200n8 rd.retry=10 rd.timeout=20";

    BootResult boot =
        BootHarness.boot(
            "missing-root-device",
            new BootHarness.KernelBoot(
                TestImages.kernel(Variant.AZL), TestImages.initrd(Variant.AZL), append, null),
            TIMEOUT);

    assertThat(boot.booted()).isFalse();
    assertThat(boot.failure()).as(boot.toString()).startsWith("Entering emergency mode");
    assertThat(boot.elapsed()).isLessThan(TIMEOUT.dividedBy(3));
    // Whichever gives up first names the device: dracut's initqueue ("... does not exist") or
    // systemd's job timeout ("Timed out waiting for device", the unit name cut short on a
    // console line); which one wins depends on how fast the guest runs.
    String log = Files.readString(boot.serialLog(), StandardCharsets.ISO_8859_1);
    String tail = missing.toString().substring(missing.toString().length() - 12);
    assertThat(log)
        .containsAnyOf(
            "/dev/disk/by-uuid/" + missing + " does not exist", "Timed out waiting for device");
    assertThat(log).contains(tail);
  }
}
