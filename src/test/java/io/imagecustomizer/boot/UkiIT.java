package io.imagecustomizer.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.testing.BootHarness;
import io.imagecustomizer.testing.BootHarness.Firmware;
import io.imagecustomizer.testing.BootResult;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.HostCommand;
import io.imagecustomizer.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code os.uki} on the test image, booted: {@code create} writes a UKI per kernel with its command
 * line in an addon and installs systemd-boot; the UKIs and systemd-boot, written out by {@code
 * output.artifacts}, signed with the firmware's test key and put back by {@code inject-files}, boot
 * with Secure Boot enforced, while the unsigned image does not; {@code modify} adds a kernel
 * argument to the addon and the image still boots; {@code passthrough} refuses a run that puts a
 * kernel in /boot.
 */
class UkiIT {
  private static final Duration BOOT = Duration.ofMinutes(6);

  @BeforeAll
  static void needsTheTestImage() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  @Test
  void createdUkisBootSignedUnderSecureBootAndAfterModify(@TempDir Path dir) throws IOException {
    Path config = copyConfigs(dir.resolve("config"));
    Path created = dir.resolve("created.raw");
    CliRun create =
        CliRun.customize(
            dir.resolve("build"),
            TestImages.base("qcow2"),
            config.resolve("create.yaml"),
            "raw",
            created);
    assertThat(create.code()).as(create.err()).isZero();

    Path artifacts = config.resolve("artifacts");
    List<Path> efi = efiFiles(artifacts);
    assertThat(efi)
        .extracting(p -> artifacts.relativize(p).toString())
        .hasSize(3)
        .anyMatch(p -> p.matches("ukis/vmlinuz-[^/]+\\.efi"))
        .anyMatch(
            p -> p.matches("ukis/vmlinuz-[^/]+\\.efi\\.extra\\.d/vmlinuz-[^/]+\\.addon\\.efi"))
        .contains("bootloader/systemd-bootx64.efi");
    assertThat(artifacts.resolve("inject-files.yaml"))
        .content()
        .contains(
            "type: ukis",
            "type: uki-addons",
            "destination: /EFI/systemd/systemd-bootx64.efi",
            "destination: /EFI/BOOT/bootx64.efi",
            "source: ./bootloader/systemd-bootx64.efi");

    Path key = dir.resolve("db.key");
    HostCommand.run(
        dir,
        "openssl",
        "rsa",
        "-in",
        BootHarness.TEST_KEY.toString(),
        "-passin",
        "pass:snakeoil",
        "-out",
        key.toString());
    for (Path file : efi) {
      HostCommand.sign(dir, key, BootHarness.TEST_CERT, file);
    }
    Path signed = dir.resolve("signed.raw");
    Files.copy(created, signed);
    CliRun inject =
        CliRun.injectFiles(dir.resolve("build"), artifacts.resolve("inject-files.yaml"), signed);
    assertThat(inject.code()).as(inject.err()).isZero();

    Path modified = dir.resolve("modified.raw");
    CliRun modify =
        CliRun.customize(
            dir.resolve("build"), created, config.resolve("modify.yaml"), "raw", modified);
    assertThat(modify.code()).as(modify.err()).isZero();

    CliRun passthrough =
        CliRun.customize(
            dir.resolve("build"),
            created,
            config.resolve("passthrough-kernel.yaml"),
            "raw",
            dir.resolve("passthrough.raw"));
    assertThat(passthrough.code()).as(passthrough.err()).isEqualTo(1);
    assertThat(passthrough.err())
        .contains("os.uki.mode 'passthrough' keeps the image's UKIs", "vmlinuz-9.9.9")
        .doesNotContain("Exception");
    assertThat(dir.resolve("passthrough.raw")).doesNotExist();

    BootResult secure =
        BootHarness.boot(
            "uki-signed-secure-boot",
            new BootHarness.Disk(signed, "raw"),
            BOOT,
            2048,
            Firmware.UEFI_SECURE_BOOT_TEST_KEY);
    assertThat(secure.booted()).as(secure.toString()).isTrue();
    assertThat(secure.hostname()).isEqualTo("uki-box");
    assertThat(secure.cmdline()).contains("imagecustomizer.uki=created");
    assertThat(secure.check("60-uki"))
        .hasValueSatisfying(
            line ->
                assertThat(line.split(" "))
                    .contains(
                        "secureboot=1",
                        "loader=systemd-boot",
                        "stub=systemd-stub",
                        "addons=1",
                        "bootkernels=0")
                    .anyMatch(
                        f ->
                            f.matches(
                                "ukis=vmlinuz-[^,]+\\.efi,vmlinuz-[^,]+\\.efi\\.extra\\.d,")));

    BootResult unsigned =
        BootHarness.boot(
            "uki-unsigned-secure-boot",
            new BootHarness.Disk(created, "raw"),
            BOOT,
            2048,
            Firmware.UEFI_SECURE_BOOT_TEST_KEY);
    assertThat(unsigned.booted()).as(unsigned.toString()).isFalse();
    assertThat(unsigned.failure()).as(unsigned.toString()).isNotNull();
    assertThat(Files.readString(unsigned.serialLog()))
        .containsAnyOf("Access Denied", "Security Violation");

    BootResult afterModify =
        BootHarness.boot("uki-modified", new BootHarness.Disk(modified, "raw"), BOOT);
    assertThat(afterModify.booted()).as(afterModify.toString()).isTrue();
    assertThat(afterModify.cmdline())
        .contains("imagecustomizer.uki=created", "imagecustomizer.uki=modified");
    assertThat(afterModify.check("60-uki"))
        .hasValueSatisfying(
            line -> assertThat(line.split(" ")).contains("secureboot=0", "loader=systemd-boot"));
  }

  /**
   * An inline verity root (the hash tree behind the filesystem on one partition) on a UKI image:
   * the root hash and the tree's offset are written into the UKI's addon once the tree is built,
   * and the kernel opens the root through dm-verity.
   */
  @Test
  void anInlineVerityRootBootsVerifiedThroughItsUki(@TempDir Path dir) {
    Path output = dir.resolve("verity.raw");
    CliRun run =
        CliRun.customize(
            dir.resolve("build"),
            TestImages.base("qcow2"),
            Path.of("src/test/resources/it/uki/verity.yaml"),
            "raw",
            output);
    assertThat(run.code()).as(run.err()).isZero();

    BootResult boot = BootHarness.boot("uki-verity", new BootHarness.Disk(output, "raw"), BOOT);

    assertThat(boot.booted()).as(boot.toString()).isTrue();
    assertThat(boot.root()).isEqualTo("/dev/mapper/root,ext4");
    assertThat(boot.cmdline()).contains("rd.systemd.verity=1", "roothash=", ",hash-offset=");
    assertThat(boot.check("60-uki"))
        .hasValueSatisfying(
            line ->
                assertThat(line.split(" "))
                    .contains("loader=systemd-boot", "stub=systemd-stub", "bootkernels=0"));
    assertThat(boot.check("70-verity"))
        .hasValueSatisfying(
            line ->
                assertThat(line.split(" "))
                    .contains(
                        "root.status.status=verified",
                        "root.status.mode=readonly",
                        "root.status.data_device=/dev/vda3",
                        "root.status.hash_device=/dev/vda3",
                        "root.write=refused")
                    .anyMatch(
                        f -> f.matches("root\\.status\\.hash_offset=[1-9][0-9]{5,}_sectors")));
  }

  private static Path copyConfigs(Path folder) throws IOException {
    Path source = Path.of("src/test/resources/it/uki");
    Files.createDirectories(folder);
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.toList()) {
        Files.copy(file, folder.resolve(file.getFileName().toString()));
      }
    }
    return folder;
  }

  private static List<Path> efiFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(f -> f.toString().endsWith(".efi")).sorted().toList();
    }
  }
}
