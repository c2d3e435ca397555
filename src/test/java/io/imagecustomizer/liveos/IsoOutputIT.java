package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.image.partition.GptReader;
import io.imagecustomizer.image.partition.Partition;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessResult;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.run.SummarySchema;
import io.imagecustomizer.testing.BootHarness;
import io.imagecustomizer.testing.BootResult;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import io.imagecustomizer.testing.Timings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live OS ISOs made from the qcow2 test image, booted in QEMU. */
class IsoOutputIT {
  private static final Path IT = Path.of("src/test/resources/it");

  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  /**
   * The Live OS docs' first cloud-init example, unchanged: the seed on the ISO media, found through
   * the postCustomization symlink. Being hybrid, the ISO boots from a CD-ROM and as a USB stick, on
   * UEFI and on BIOS firmware (SeaBIOS).
   */
  @Test
  void bootstrapIsoBootsFromCdromAndUsbWithTheCloudInitSeed(@TempDir Path dir) {
    Path iso = dir.resolve("live.iso");
    Path timestamps = dir.resolve("times/run.jsonl");
    CliRun result =
        CliRun.run(
            "--build-dir", dir.resolve("build").toString(),
            "--image-file", TestImages.base("qcow2").toString(),
            "--config-file", "src/test/resources/config/valid/liveos-iso-media-cloud-init.yaml",
            "--output-image-format", "iso",
            "--output-image-file", iso.toString(),
            "--timestamp-file", timestamps.toString());
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(Timings.read(timestamps))
        .as(
            "every stage of disk -> ISO, and the OS steps inside customize os, timed; the squashfs"
                + " is packed from the mounted image, with no copy of the OS tree")
        .containsKeys(
            "imagecustomizer",
            "imagecustomizer/prepare build dir",
            "imagecustomizer/convert to raw",
            "imagecustomizer/customize os",
            "imagecustomizer/customize os/postCustomization scripts",
            "imagecustomizer/read boot layout",
            "imagecustomizer/write live os",
            "imagecustomizer/write live os/squashfs",
            "imagecustomizer/write live os/bios boot image",
            "imagecustomizer/write live os/efi boot image",
            "imagecustomizer/write live os/write iso")
        .doesNotContainKey("imagecustomizer/write live os/copy os tree")
        .allSatisfy((name, seconds) -> assertThat(seconds).isNotNegative());

    // The ISO is hybrid: four ways into it (firmware x media), each with its own boot code. This
    // ISO is booted two of those ways, UEFI from a CD-ROM and BIOS from a USB stick; the other two
    // are booted by seedInTheRootFilesystemIsFoundToo (UEFI, USB stick) and IsoInputIT (BIOS,
    // CD-ROM), so every way is booted once without paying four boots here.
    Map<BootHarness.Firmware, BootHarness.Media> ways =
        Map.of(
            BootHarness.Firmware.UEFI, new BootHarness.Cdrom(iso),
            BootHarness.Firmware.BIOS, new BootHarness.UsbStick(iso));
    for (Map.Entry<BootHarness.Firmware, BootHarness.Media> way : ways.entrySet()) {
      BootHarness.Firmware firmware = way.getKey();
      String name = "iso-" + firmware + "-" + way.getValue().getClass().getSimpleName();
      BootResult boot =
          BootHarness.boot(name, way.getValue(), Duration.ofMinutes(8), 2048, firmware);

      assertThat(boot.booted()).as(name + ": " + boot).isTrue();
      assertThat(boot.hostname())
          .as("hostname from the seed's meta-data")
          .isEqualTo("liveos-seeded");
      assertThat(boot.root()).isEqualTo("LiveOS_rootfs,overlay");
      assertThat(boot.cmdline()).contains("ds=nocloud", "root=live:LABEL=CDROM");
      assertThat(boot.check("60-user-data")).hasValue("user-data-applied fstab=absent");
    }
  }

  @Test
  void imageWithASeparateBootPartitionBecomesALiveOs(@TempDir Path dir) {
    Path iso = dir.resolve("bootpart.iso");
    Path log = dir.resolve("bootpart.log");
    CliRun result =
        CliRun.run(
            "--build-dir", dir.resolve("build").toString(),
            "--image-file", TestImages.bootPartition("qcow2").toString(),
            "--config-file", IT.resolve("bootpart-live/config.yaml").toString(),
            "--output-image-format", "iso",
            "--output-image-file", iso.toString(),
            "--log-file", log.toString());
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(log).content().contains("the media boot on BIOS with this machine's (grub-pc-bin)");

    BootResult boot =
        BootHarness.boot(
            "iso-bootpart-bios",
            new BootHarness.Cdrom(iso),
            Duration.ofMinutes(8),
            2048,
            BootHarness.Firmware.BIOS);

    assertThat(boot.booted()).as(boot.toString()).isTrue();
    assertThat(boot.hostname()).isEqualTo("bootpart-live");
    assertThat(boot.check("70-kdump"))
        .as("kdumpBootFiles: keep left the kdump initrd and its kernel, and nothing else, in /boot")
        .hasValue("kdump=1 kernels=1 other=0 mode=700");
    assertThat(boot.root()).isEqualTo("LiveOS_rootfs,overlay");
    assertThat(boot.cmdline()).contains("imagecustomizer.bootpart=1");
  }

  /**
   * Debian's layout with the vendor folder holding only grub.cfg: the ESP boots through EFI/BOOT's
   * shim and Debian's signed grub, whose built-in prefix /EFI/debian has no binary. The media's
   * grub.cfg must be where that grub looks, or it stops at a grub prompt.
   */
  @Test
  void imageInDebiansOwnLayoutBecomesALiveOs(@TempDir Path dir) throws IOException {
    Path input = dir.resolve("debian-cfg-only.raw");
    run(
        "qemu-img",
        "convert",
        "-O",
        "raw",
        TestImages.image(TestImages.Variant.DEBIAN, "qcow2").toString(),
        input.toString());
    long esp =
        GptReader.read(input).stream().filter(Partition::isEsp).findFirst().orElseThrow().offset();
    String drive = input + "@@" + esp;
    run("mdel", "-i", drive, "::/EFI/debian/shimx64.efi", "::/EFI/debian/grubx64.efi");
    assertThat(run("mdir", "-b", "-i", drive, "::/EFI/debian"))
        .doesNotContain(".efi")
        .contains("grub.cfg");
    Path iso = dir.resolve("debian.iso");
    CliRun result = customize(dir, IT.resolve("debian-live/config.yaml"), iso, input);
    assertThat(result.code()).as(result.err()).isZero();

    BootResult boot =
        BootHarness.boot(
            "iso-debian-secure-boot",
            new BootHarness.Cdrom(iso),
            Duration.ofMinutes(8),
            2048,
            BootHarness.Firmware.UEFI_SECURE_BOOT);

    assertThat(boot.booted()).as(boot.toString()).isTrue();
    assertThat(boot.check("70-secureboot")).hasValue("secureboot=1 lockdown=integrity");
    assertThat(boot.hostname()).isEqualTo("debian-live");
    assertThat(boot.root()).isEqualTo("LiveOS_rootfs,overlay");
    assertThat(boot.cmdline()).contains("imagecustomizer.debian=1", "root=live:LABEL=CDROM");
  }

  private static String run(String... argv) throws IOException {
    Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      assertThat(process.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return out;
  }

  /**
   * The Live OS docs' second cloud-init example, unchanged: the seed inside the root filesystem.
   * Booted as a USB stick under UEFI (see the bootstrap test). The same run shows what a CI job
   * gets: a short log with no progress-bar escapes, a checksum that {@code sha256sum -c} accepts,
   * and a summary that fits its published schema.
   */
  @Test
  void seedInTheRootFilesystemIsFoundToo(@TempDir Path dir) throws IOException {
    Path iso = dir.resolve("rootfs-seed.iso");
    Path log = dir.resolve("run.log");
    Path summary = dir.resolve("summary.json");
    CliRun result =
        CliRun.run(
            "--build-dir", dir.resolve("build").toString(),
            "--image-file", TestImages.base("qcow2").toString(),
            "--config-file", "src/test/resources/config/valid/liveos-rootfs-cloud-init.yaml",
            "--output-image-format", "iso",
            "--output-image-file", iso.toString(),
            "--log-file", log.toString(),
            "--summary-json", summary.toString());
    assertThat(result.code()).as(result.err()).isZero();
    List<String> infoLog = infoLines(log);
    assertThat(infoLog).as(String.join("\n", infoLog)).hasSizeLessThan(40);
    assertThat(Files.readString(log)).doesNotContain("\r", "\u001B[");
    ProcessResult check =
        new SystemProcessRunner()
            .run(
                new Command(
                    List.of("sha256sum", "-c", iso.getFileName() + ".sha256"),
                    Map.of(),
                    dir,
                    null,
                    null,
                    false));
    assertThat(check.stdout()).isEqualTo("rootfs-seed.iso: OK\n");
    assertThat(SummarySchema.validate(summary)).isEmpty();
    assertThat(summary).content().contains("\"exitCode\" : 0", "\"name\" : \"write live os\"");

    BootResult boot =
        BootHarness.boot("iso-rootfs-seed", new BootHarness.UsbStick(iso), Duration.ofMinutes(8));

    assertThat(boot.booted()).as(boot.toString()).isTrue();
    assertThat(boot.hostname()).isEqualTo("liveos-seeded");
    assertThat(boot.cmdline()).contains("ds=nocloud");
    assertThat(boot.check("60-user-data")).hasValue("user-data-applied fstab=absent");
  }

  /**
   * The docs' media seed example as a full-OS Live OS: the whole OS in the initrd, which mounts its
   * media itself, so cloud-init finds the seed as in a bootstrap Live OS.
   */
  @Test
  void fullOsIsoBootsWithTheWholeOsInTheInitrd(@TempDir Path dir) {
    Path iso = dir.resolve("full-os.iso");
    CliRun result = customize(dir, IT.resolve("full-os/config.yaml"), iso);
    assertThat(result.code()).as(result.err()).isZero();

    BootResult boot =
        BootHarness.boot("iso-full-os", new BootHarness.Cdrom(iso), Duration.ofMinutes(12), 6144);

    assertThat(boot.booted()).as(boot.toString()).isTrue();
    assertThat(boot.hostname())
        .as("the hostname of the seed on the media, which the OS mounted itself")
        .isEqualTo("liveos-seeded");
    assertThat(boot.check("60-user-data")).hasValue("user-data-applied fstab=present");
    assertThat(boot.root()).as("the initramfs itself is root").isEqualTo("rootfs,rootfs");
    assertThat(boot.cmdline())
        .contains("imagecustomizer.fullos=1", "ds=nocloud")
        .doesNotContain("root=");
  }

  @Test
  void imageWithoutMainGrubConfigFailsBeforeBuildingAnything(@TempDir Path dir) {
    Path iso = dir.resolve("live.iso");

    CliRun result = customize(dir, IT.resolve("no-grub-cfg/config.yaml"), iso);

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("/boot/grub2/grub.cfg").doesNotContain("Exception");
    assertThat(result.elapsed()).isLessThan(Duration.ofMinutes(1));
    assertThat(iso).doesNotExist();
    assertThat(dir.resolve(".live.iso.partial")).doesNotExist();
    assertThat(dir.resolve("build")).isDirectoryNotContaining("glob:**/liveos-*");
  }

  /** The lines the console shows at the default level: events at info and above, all lines. */
  private static List<String> infoLines(Path logFile) throws IOException {
    Pattern event = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (\\w+)\\s.*");
    List<String> shown = new ArrayList<>();
    boolean showing = false;
    for (String line : Files.readAllLines(logFile)) {
      Matcher start = event.matcher(line);
      if (start.matches()) {
        showing = !start.group(1).equals("DEBUG") && !start.group(1).equals("TRACE");
      }
      if (showing) {
        shown.add(line);
      }
    }
    return shown;
  }

  private static CliRun customize(Path dir, Path config, Path iso) {
    return customize(dir, config, iso, TestImages.base("qcow2"));
  }

  private static CliRun customize(Path dir, Path config, Path iso, Path input) {
    return CliRun.customize(dir.resolve("build"), input, config, "iso", iso);
  }
}
