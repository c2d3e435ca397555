package io.imagecustomizer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.resource.MountTable;
import io.imagecustomizer.testing.BootHarness;
import io.imagecustomizer.testing.BootResult;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code storage.bootType: legacy}: the (UEFI) test image moved onto a BIOS boot layout, a
 * bios-grub partition and a root named by its partition label, boots with SeaBIOS and no UEFI
 * firmware at all. Its own class, so that its boot runs beside StorageIT's.
 */
class BiosBootIT {
  private static final Path CONFIGS = Path.of("src/test/resources/it/storage");
  private static final long MIB = 1024 * 1024;

  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  @Test
  void biosGrubLayoutBootsWithSeaBios(@TempDir Path dir) {
    Path input = TestImages.base("qcow2");
    String inputHash = TestImages.sha256(input);
    Path output = dir.resolve("out/legacy.qcow2");

    CliRun run =
        CliRun.customize(
            dir.resolve("build"), input, CONFIGS.resolve("legacy.yaml"), "qcow2", output);

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(TestImages.sha256(input)).as("the input image is unchanged").isEqualTo(inputHash);
    assertThat(MountTable.mountPointsUnder(dir)).as("mounts left behind").isEmpty();
    assertThat(LoopDevice.backedBy(new SystemProcessRunner(), dir)).as("loop devices").isEmpty();

    BootResult boot =
        BootHarness.boot(
            "storage-legacy",
            new BootHarness.Disk(output, "qcow2"),
            Duration.ofMinutes(6),
            2048,
            BootHarness.Firmware.BIOS);
    assertThat(boot.booted()).as(boot.toString()).isTrue();
    System.out.println("[storage-legacy] " + boot.markerLine());
    String firmware = boot.check("61-firmware").orElseThrow();
    System.out.println("[storage-legacy] 61-firmware: " + firmware);
    StorageIT.Layout layout = StorageIT.Layout.of(boot.check("60-layout").orElseThrow());

    assertThat(firmware)
        .contains("firmware=bios", "type1=21686148-6449-6e6f-744e-656564454649", "mbr-code=yes");
    assertThat(boot.markerLine())
        .contains(
            "bios-booted",
            "root=/dev/vda2,ext4",
            "root=/dev/disk/by-partlabel/rootfs",
            "imagecustomizer.layout=legacy");
    assertThat(layout.partitions()).containsOnlyKeys("vda1", "vda2");
    assertThat(Long.parseLong(layout.field("vda1", "SIZE"))).isEqualTo(4 * MIB);
    assertThat(layout.field("vda1", "FSTYPE")).as("the BIOS boot partition").isEmpty();
    assertThat(layout.field("vda2", "FSTYPE")).isEqualTo("ext4");
    assertThat(layout.field("vda2", "PARTLABEL")).isEqualTo("rootfs");
    assertThat(layout.mounts()).containsExactly("/,/dev/vda2,ext4");
    assertThat(layout.fstab()).containsExactly("PARTLABEL=rootfs,/,ext4,defaults,0,1");
  }
}
