package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two runs with the same SOURCE_DATE_EPOCH write the same bytes. No boot: the media's layout is the
 * one {@code IsoOutputIT} boots, only dates and ids differ.
 */
class ReproducibleIT {
  private static final Logger LOG = LoggerFactory.getLogger(ReproducibleIT.class);
  private static final Path IT = Path.of("src/test/resources/it/reproducible");

  /** The tool's environment; the programs it runs see the test's, without the variable. */
  private static final Map<String, String> ENVIRONMENT = Map.of("SOURCE_DATE_EPOCH", "1700000000");

  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  /**
   * Disk -> ISO twice (each in its own build folder, as on two machines): the same ISO. Then that
   * ISO -> pxe-tar twice, the cheap road (the media change only, the OS image is reused): the same
   * .tar.gz, with the bootstrap ISO xorriso wrote again inside it.
   */
  @Test
  void twoRunsWithTheSameSourceDateEpochWriteTheSameIsoAndTheSamePxeTar(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path first = dir.resolve("first.iso");
    Path second = dir.resolve("second.iso");
    customize(dir.resolve("build-1"), TestImages.base("qcow2"), "iso.yaml", "iso", first);
    customize(dir.resolve("build-2"), TestImages.base("qcow2"), "iso.yaml", "iso", second);
    assertSameBytes(first, second);

    Path release = dir.resolve("release");
    unpackReleaseFile(first, dir.resolve("media"), release);
    String text = Files.readString(release.resolve("etc/image-customizer-release"));
    assertThat(text).contains("BUILD_DATE=\"2023-11-14T22:13:20Z\"");
    String id = text.replaceAll("(?s).*IMAGE_UUID=\"([^\"]+)\".*", "$1");
    assertThat(UUID.fromString(id).version()).as("a name-based id: " + id).isEqualTo(5);

    Path firstTar = dir.resolve("first.tar.gz");
    Path secondTar = dir.resolve("second.tar.gz");
    customize(dir.resolve("build-3"), first, "pxe.yaml", "pxe-tar", firstTar);
    customize(dir.resolve("build-4"), first, "pxe.yaml", "pxe-tar", secondTar);
    assertSameBytes(firstTar, secondTar);
    assertThat(entries(firstTar))
        .contains("./", "live.iso", "bootx64.efi", "boot/grub2/grub.cfg", "notes/readme.txt");
  }

  private static void customize(Path build, Path input, String config, String format, Path out) {
    CliRun run =
        CliRun.run(
            ENVIRONMENT,
            "--build-dir",
            build.toString(),
            "--image-file",
            input.toString(),
            "--config-file",
            IT.resolve(config).toString(),
            "--output-image-format",
            format,
            "--output-image-file",
            out.toString(),
            // the cheapest compressor: the squashfs is what takes time, and any compressor's
            // output is the same for the same tree
            "--squashfs-compression",
            "lz4",
            "--log-file",
            out + ".log");
    assertThat(run.code()).as(run.err()).isZero();
    LOG.info("{} written in {} s", out.getFileName(), run.elapsed().toSeconds());
  }

  /** cmp, with the first difference named when there is one. */
  private static void assertSameBytes(Path first, Path second) throws IOException {
    long at = Files.mismatch(first, second);
    assertThat(at)
        .as(
            "%s and %s (%d and %d bytes) differ first at byte %d",
            first.getFileName(), second.getFileName(), Files.size(first), Files.size(second), at)
        .isEqualTo(-1L);
  }

  /** The ISO's release file, taken out of its squashfs. */
  private static void unpackReleaseFile(Path iso, Path media, Path tree)
      throws IOException, InterruptedException {
    Files.createDirectories(media);
    exec(
        "xorriso",
        "-osirrox",
        "on",
        "-indev",
        iso.toString(),
        "-extract",
        "/liveos",
        media.toString());
    exec(
        "unsquashfs",
        "-d",
        tree.toString(),
        media.resolve("rootfs.img").toString(),
        "etc/image-customizer-release");
  }

  private static void exec(String... argv) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(process.waitFor()).as(String.join(" ", argv)).isZero();
  }

  private static List<String> entries(Path tarGz) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(tarGz));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
