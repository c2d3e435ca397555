package io.imagecustomizer.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.testing.TestImages.Variant;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each test image layout boots to its marker, each from another disk format the tool reads. */
class BaseImageBootIT {
  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "AZL          | raw   | /dev/vda2,ext4 | /boot= /boot/efi=/dev/vda1,vfat               | BOOT_IMAGE=/boot/vmlinuz-",
        "AZL_BOOTPART | vhdx  | /dev/vda3,ext4 | /boot=/dev/vda2,ext4 /boot/efi=/dev/vda1,vfat | BOOT_IMAGE=/vmlinuz-",
        "DEBIAN       | qcow2 | /dev/vda2,ext4 | /boot= /boot/efi=/dev/vda1,vfat               | BOOT_IMAGE=/boot/vmlinuz-"
      })
  void bootsToTheMarker(
      Variant variant, String format, String root, String mounts, String bootImage) {
    BootResult result =
        BootHarness.boot(
            "base-" + variant.option() + "-" + format,
            new BootHarness.Disk(TestImages.image(variant, format), format),
            Duration.ofMinutes(6));

    assertThat(result.booted()).as(result.toString()).isTrue();
    assertThat(result.hostname()).isEqualTo("testimage");
    assertThat(result.root()).isEqualTo(root);
    assertThat(result.check("10-mounts")).hasValue(mounts);
    assertThat(result.cmdline()).startsWith(bootImage).contains(" console=ttyS0,115200n8");
  }
}
