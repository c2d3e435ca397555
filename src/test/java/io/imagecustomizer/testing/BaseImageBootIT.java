package io.imagecustomizer.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
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
  @CsvSource({
    "base, raw, raw, /dev/vda2",
    "base, qcow2, qcow2, /dev/vda2",
    "bootpart, vhdx, vhdx, /dev/vda3"
  })
  void bootsToTheMarker(String variant, String extension, String qemuFormat, String rootDevice) {
    Path image =
        variant.equals("base") ? TestImages.base(extension) : TestImages.bootPartition(extension);

    BootResult result =
        BootHarness.boot(
            variant + "-" + extension,
            new BootHarness.Disk(image, qemuFormat),
            Duration.ofMinutes(6));

    assertThat(result.booted()).as(result.toString()).isTrue();
    assertThat(result.hostname()).isEqualTo("testimage");
    assertThat(result.root()).isEqualTo(rootDevice + ",ext4");
  }
}
