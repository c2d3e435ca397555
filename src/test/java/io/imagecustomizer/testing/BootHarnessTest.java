package io.imagecustomizer.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading serial logs as OVMF, grub, dracut and systemd write them, escapes and CRs included. */
class BootHarnessTest {
  private static final Path LOG = Path.of("target/boot-logs/x.serial.log");

  private static BootResult read(String serial) {
    return BootHarness.read(serial, Duration.ofSeconds(50), LOG);
  }

  @Test
  void markerAndChecksAmidEscapes() {
    BootResult result =
        read(
            "\u001b[=3h\u001b[0;32m  OK  \u001b[0m] Reached target multi-user.target\r\n"
                + "IMAGECUSTOMIZER-CHECK 10-mounts /boot= /boot/efi=/dev/vda1,vfat\r\n"
                + "IMAGECUSTOMIZER-CHECK 50-x failed exit=1\r\n"
                + "IMAGECUSTOMIZER-BOOT-OK testimage root=/dev/vda2,ext4"
                + " cmdline=BOOT_IMAGE=/boot/vmlinuz-6.1.0-50-amd64 ro console=ttyS0,115200n8\r\n");

    assertThat(result.booted()).isTrue();
    assertThat(result.failure()).isNull();
    assertThat(result.hostname()).isEqualTo("testimage");
    assertThat(result.root()).isEqualTo("/dev/vda2,ext4");
    assertThat(result.cmdline())
        .isEqualTo("BOOT_IMAGE=/boot/vmlinuz-6.1.0-50-amd64 ro console=ttyS0,115200n8");
    assertThat(result.check("10-mounts")).hasValue("/boot= /boot/efi=/dev/vda1,vfat");
    assertThat(result.check("50-x")).hasValue("failed exit=1");
    assertThat(result.check("1")).isEmpty();
  }

  @Test
  void halfWrittenMarkerIsNotYetAMarker() {
    BootResult result = read("IMAGECUSTOMIZER-CHECK 10-mounts /bo");

    assertThat(result.booted()).isFalse();
    assertThat(result.failure()).isNull();
    assertThat(result.checkLines()).isEmpty();
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        arguments(
            "[   40.1] dracut-initqueue[291]: Warning: dracut-initqueue: starting timeout scripts\r\n"
                + "\u001b[0;1;31mWarning: /dev/disk/by-uuid/0d1 does not exist\u001b[0m\r\n"
                + "dracut Warning: Could not boot.\r\n",
            "Could not boot."),
        arguments(
            "Generating \"/run/initramfs/rdsosreport.txt\"\r\n\r\n"
                + "Entering emergency mode. Exit the shell to continue.\r\n",
            "Entering emergency mode. Exit the shell to continue."),
        arguments(
            "[    2.1] Kernel panic - not syncing: VFS: Unable to mount root fs\r\n",
            "Kernel panic - not syncing: VFS: Unable to mount root fs"),
        arguments(
            "error: file `/boot/vmlinuz-6.1.0-50-amd64' not found.\r\n",
            "error: file `/boot/vmlinuz-6.1.0-50-amd64' not found"),
        arguments(
            "BdsDxe: No bootable option or device was found.\r\n",
            "No bootable option or device was found"),
        arguments(
            "Unable to find a persistent overlay; using a temporary one.\r\n"
                + "Press [Enter] to continue\r\n",
            "Press [Enter] to continue"),
        arguments(
            "error: no such device: 1234.\r\nEntering rescue mode...\r\ngrub rescue> ",
            "grub rescue>"));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void failuresEndTheBoot(String serial, String failure) {
    BootResult result = read(serial);

    assertThat(result.booted()).isFalse();
    assertThat(result.failure()).isEqualTo(failure);
  }

  @Test
  void noiseOfGoodBootsIsNoFailure() {
    BootResult result =
        read(
            "[   20.5] overlayfs: failed to resolve '/run/overlayfs': -2\r\n"
                + "[  OK  ] Finished systemd-fsck-root.service - File System Check on Root Device.\r\n"
                + "         Starting emergency.service\r\n");

    assertThat(result.failure()).isNull();
    assertThat(result.booted()).isFalse();
  }
}
