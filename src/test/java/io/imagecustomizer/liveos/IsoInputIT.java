package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.testing.BootHarness;
import io.imagecustomizer.testing.BootResult;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.HostCommand;
import io.imagecustomizer.testing.TestImages;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Live OS ISOs this tool made, taken as input again: re-customized, repackaged, booted. */
class IsoInputIT {
  private static final Logger LOG = LoggerFactory.getLogger(IsoInputIT.class);
  private static final Path IT = Path.of("src/test/resources/it/iso-input");

  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  /**
   * Disk -> ISO, then ISO -> ISO adding a package and a file (booted: both runs' changes are
   * there), then ISO -> ISO changing only the cloud-init seed on the media, which reuses the OS
   * image and must take under a tenth of the first run (booted: the new seed is read).
   */
  @Test
  void isoTakenAsInputKeepsEveryRunsChangesAndRepackagesMediaChangesFast(@TempDir Path dir)
      throws IOException {
    Path first = dir.resolve("first.iso");
    CliRun firstRun = customize(dir, TestImages.base("qcow2"), "first.yaml", "iso", first);
    assertThat(firstRun.code()).as(firstRun.err()).isZero();

    Path second = dir.resolve("second.iso");
    CliRun secondRun = customize(dir, first, "second.yaml", "iso", second);
    assertThat(secondRun.code()).as(secondRun.err()).isZero();
    assertThat(read(dir.resolve("second.iso.log")))
        .contains("unpacking and rebuilding", "Rebuilding the initrd for kernel");

    Path third = dir.resolve("third.iso");
    CliRun thirdRun = customize(dir, second, "media-only.yaml", "iso", third);
    assertThat(thirdRun.code()).as(thirdRun.err()).isZero();
    assertThat(read(dir.resolve("third.iso.log")))
        .contains("reusing the ISO's OS image as it is")
        .doesNotContain("mksquashfs", "dracut");
    double ratio = (double) thirdRun.elapsed().toMillis() / firstRun.elapsed().toMillis();
    LOG.info(
        "first run (disk -> ISO) {} ms, media-only run (ISO -> ISO) {} ms, ratio {}",
        firstRun.elapsed().toMillis(),
        thirdRun.elapsed().toMillis(),
        String.format("%.3f", ratio));
    assertThat(ratio).as("media-only run time / first run time").isLessThan(0.10);

    // Only the hostname changes: the second ISO's initrd is reused, and boots the new squashfs.
    Path fourth = dir.resolve("fourth.iso");
    CliRun fourthRun = customize(dir, second, "hostname-only.yaml", "iso", fourth);
    assertThat(fourthRun.code()).as(fourthRun.err()).isZero();
    assertThat(read(dir.resolve("fourth.iso.log")))
        .contains("Reusing the input ISO's initrd for kernel")
        .doesNotContain("Building the Live OS initrd");
    LOG.info(
        "hostname-only run (ISO -> ISO, initrd reused) {} ms, ratio to the first run {}",
        fourthRun.elapsed().toMillis(),
        String.format(
            "%.3f", (double) fourthRun.elapsed().toMillis() / firstRun.elapsed().toMillis()));

    BootResult fourthBoot =
        BootHarness.boot("iso-input-fourth", new BootHarness.Cdrom(fourth), Duration.ofMinutes(8));
    assertThat(fourthBoot.booted()).as(fourthBoot.toString()).isTrue();
    assertThat(fourthBoot.hostname()).isEqualTo("reused-initrd");
    assertThat(fourthBoot.check("50-runs"))
        .hasValue("first=first second=second tree=installed bc=installed");
    assertThat(fourthBoot.check("60-seed")).hasValue("seed-one");

    // Repackaged from the second ISO's files, the media keep grub's BIOS boot: booted with SeaBIOS
    // from a CD-ROM, the way into a hybrid ISO that IsoOutputIT leaves to this test.
    BootResult thirdBoot =
        BootHarness.boot(
            "iso-input-third-bios",
            new BootHarness.Cdrom(third),
            Duration.ofMinutes(8),
            2048,
            BootHarness.Firmware.BIOS);
    assertThat(thirdBoot.booted()).as(thirdBoot.toString()).isTrue();
    assertThat(thirdBoot.check("50-runs"))
        .hasValue("first=first second=second tree=installed bc=installed");
    assertThat(thirdBoot.check("60-seed")).as("the new seed").hasValue("seed-two");
    for (String arg :
        new String[] {"ds=nocloud", "imagecustomizer.second=1", "rd.live.image", "root=live"}) {
      assertThat(count(thirdBoot.cmdline(), arg)).as(arg + " in " + thirdBoot.cmdline()).isOne();
    }

    Path pxe = dir.resolve("pxe");
    CliRun pxeRun = customize(dir, third, "pxe.yaml", "pxe-dir", pxe);
    assertThat(pxeRun.code()).as(pxeRun.err()).isZero();
    assertThat(pxe.resolve("live.iso")).isRegularFile();
    assertThat(pxe.resolve("bootx64.efi")).isRegularFile();
    assertThat(read(pxe.resolve("boot/grub2/grub.cfg")))
        .contains("root=live:http://10.0.2.100:8080/live.iso", "ds=nocloud", "ip=dhcp")
        .doesNotContain("LABEL=CDROM");

    // A file over 4 GiB on the media, whole: ISO 9660 level 3 stores it in several extents.
    Path big = Files.createDirectories(dir.resolve("big")).resolve("large.bin");
    try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
      file.setLength(4L * 1024 * 1024 * 1024 + 4096);
      file.write("start".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      file.seek(file.length() - 3);
      file.write("end".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    Path bigConfig =
        Files.writeString(
            dir.resolve("big/config.yaml"),
            "iso:\n  additionalFiles:\n    large.bin: /large.bin\n");
    Path withBig = dir.resolve("big.iso");
    CliRun bigRun = customize(dir, third, bigConfig.toString(), "iso", withBig);
    assertThat(bigRun.code()).as(bigRun.err()).isZero();
    Path extracted = dir.resolve("large.extracted");
    HostCommand.run(
        dir,
        "xorriso",
        "-osirrox",
        "on",
        "-indev",
        withBig.toString(),
        "-extract",
        "/large.bin",
        extracted.toString());
    assertThat(Files.size(extracted)).isEqualTo(Files.size(big));
    assertThat(TestImages.sha256(extracted)).isEqualTo(TestImages.sha256(big));
  }

  @Test
  void isoNotMadeByThisToolIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
    Path foreign = foreignIso(dir);
    Path output = dir.resolve("out.iso");

    CliRun result = customize(dir, foreign, "media-only.yaml", "iso", output);

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .contains(foreign + " was not made by imagecustomizer")
        .contains("saved-configs.yaml")
        .doesNotContain("Exception");
    assertThat(output).doesNotExist();
    assertThat(dir.resolve("build")).isDirectoryNotContaining("glob:**/liveos-*");
  }

  @Test
  void truncatedOrForeignBytesAreToldApart(@TempDir Path dir) throws Exception {
    Path truncated = dir.resolve("truncated.iso");
    Files.copy(foreignIso(dir), truncated);
    try (RandomAccessFile file = new RandomAccessFile(truncated.toFile(), "rw")) {
      file.setLength(file.length() / 2);
    }
    Path junk = dir.resolve("junk.iso");
    Files.write(junk, new byte[64 * 1024]);

    CliRun cut = customize(dir, truncated, "media-only.yaml", "iso", dir.resolve("a.iso"));
    CliRun notIso = customize(dir, junk, "media-only.yaml", "iso", dir.resolve("b.iso"));
    CliRun toDisk = customize(dir, truncated, "media-only.yaml", "qcow2", dir.resolve("c.qcow2"));

    assertThat(cut.code()).isEqualTo(1);
    assertThat(cut.err()).contains(truncated + " is truncated").doesNotContain("Exception");
    assertThat(notIso.code()).isEqualTo(1);
    // Caught by the input check that compares the content with the name, before any work.
    assertThat(notIso.err())
        .contains(junk + " is not what its name says: it is named .iso but holds raw data");
    assertThat(toDisk.code()).isEqualTo(2);
    assertThat(toDisk.err()).contains("cannot generate output format qcow2 from an ISO input");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .doesNotContain("a.iso", "b.iso", "c.qcow2");
    }
  }

  /** A valid ISO 9660 image that this tool did not write. */
  private static Path foreignIso(Path dir) throws IOException, InterruptedException {
    Path content = Files.createDirectories(dir.resolve("foreign/boot"));
    Files.writeString(content.resolve("readme.txt"), "not a Live OS\n".repeat(20_000));
    Path iso = dir.resolve("foreign.iso");
    Process xorriso =
        new ProcessBuilder(
                "xorriso", "-as", "mkisofs", "-R", "-o", iso.toString(), content.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(xorriso.waitFor()).isZero();
    return iso;
  }

  private static CliRun customize(Path dir, Path input, String config, String format, Path out) {
    return CliRun.run(
        "--build-dir", dir.resolve("build").toString(),
        "--image-file", input.toString(),
        "--config-file", IT.resolve(config).toString(),
        "--output-image-format", format,
        "--output-image-file", out.toString(),
        "--log-file", out + ".log");
  }

  private static int count(String text, String arg) {
    Matcher matcher =
        Pattern.compile("(^|\\s)" + Pattern.quote(arg) + "(?=[\\s=:]|$)").matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
