package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.testing.BootHarness;
import io.imagecustomizer.testing.BootResult;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import io.imagecustomizer.testing.Timings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repartitioned image is a valid Live OS source: the storage layout of StorageIT (ESP, /boot, /
 * xfs, /var) and an ISO output in one run, booted from CD-ROM.
 */
class RepartitionedLiveOsIT {
  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  @Test
  void newLayoutBecomesALiveOsWithEveryPartitionsFiles(@TempDir Path dir) {
    Path iso = dir.resolve("storage-live.iso");
    Path timestamps = dir.resolve("times/run.jsonl");
    CliRun run =
        CliRun.run(
            "--build-dir", dir.resolve("build").toString(),
            "--image-file", TestImages.base("qcow2").toString(),
            "--config-file", "src/test/resources/it/storage/live.yaml",
            "--output-image-format", "iso",
            "--output-image-file", iso.toString(),
            "--timestamp-file", timestamps.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(Timings.read(timestamps))
        .as("the new layout made before the OS is customized and the Live OS written")
        .containsKeys(
            "imagecustomizer/repartition",
            "imagecustomizer/customize os",
            "imagecustomizer/write live os");

    BootResult boot =
        BootHarness.boot("iso-storage", new BootHarness.Cdrom(iso), Duration.ofMinutes(8));

    assertThat(boot.booted()).as(boot.toString()).isTrue();
    assertThat(boot.hostname()).isEqualTo("storage-live");
    assertThat(boot.root()).isEqualTo("LiveOS_rootfs,overlay");
    assertThat(boot.cmdline())
        .contains("imagecustomizer.storage-live=1", "imagecustomizer.layout=1");
    assertThat(boot.check("61-live-layout")).hasValue("var=present boot=empty fstab=absent");
  }
}
