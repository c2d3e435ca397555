package io.imagecustomizer.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The test image itself boots to its marker, from each disk format the tool reads. */
class BaseImageBootIT {
  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  @ParameterizedTest
  @CsvSource({"raw, raw", "qcow2, qcow2"})
  void bootsToTheMarker(String extension, String qemuFormat) {
    BootResult result =
        BootHarness.boot(
            "base-" + extension,
            new BootHarness.Disk(TestImages.base(extension), qemuFormat),
            Duration.ofMinutes(6));

    assertThat(result.booted()).as(result.toString()).isTrue();
    assertThat(result.hostname()).isEqualTo("testimage");
    assertThat(result.root()).isEqualTo("/dev/vda2,ext4");
  }
}
