package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.cli.Main;
import io.imagecustomizer.testing.BootHarness;
import io.imagecustomizer.testing.BootResult;
import io.imagecustomizer.testing.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Live OS docs' first cloud-init example, unchanged: the seed on the ISO media, found through
 * the postCustomization symlink. The ISO boots from a CD-ROM and, being hybrid, from a USB stick.
 */
class IsoOutputIT {
  private static final Path CONFIG =
      Path.of("src/test/resources/config/valid/liveos-iso-media-cloud-init.yaml");

  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  @Test
  void bootstrapIsoBootsFromCdromAndUsbWithTheCloudInitSeed(@TempDir Path dir) {
    Path iso = dir.resolve("live.iso");
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "--build-dir",
            dir.resolve("build").toString(),
            "--image-file",
            TestImages.base("qcow2").toString(),
            "--config-file",
            CONFIG.toString(),
            "--output-image-format",
            "iso",
            "--output-image-file",
            iso.toString());
    assertThat(code).as(err.toString()).isZero();

    for (BootHarness.Media media :
        new BootHarness.Media[] {new BootHarness.Cdrom(iso), new BootHarness.UsbStick(iso)}) {
      BootResult boot =
          BootHarness.boot("iso-" + media.getClass().getSimpleName(), media, Duration.ofMinutes(8));

      assertThat(boot.booted()).as(boot.toString()).isTrue();
      assertThat(boot.hostname())
          .as("hostname from the seed's meta-data")
          .isEqualTo("liveos-seeded");
      assertThat(boot.root()).isEqualTo("LiveOS_rootfs,overlay");
      assertThat(boot.cmdline()).contains("ds=nocloud", "root=live:LABEL=CDROM");
      assertThat(boot.check("60-user-data")).hasValue("user-data-applied fstab=absent");
    }
  }
}
