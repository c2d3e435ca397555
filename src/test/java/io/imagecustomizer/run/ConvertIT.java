package io.imagecustomizer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code convert} with the real qemu-img, on a small disk of random data (no root needed): a round
 * trip through two formats ends byte for byte where qemu-img alone ends, and a VHD sized by its
 * geometry is refused (by customize too, which needs root).
 */
class ConvertIT {
  private static final long SIZE = 64L << 20;

  @TempDir Path dir;

  private static void qemuImg(String... args) {
    String[] argv = new String[args.length + 1];
    argv[0] = "qemu-img";
    System.arraycopy(args, 0, argv, 1, args.length);
    new SystemProcessRunner().run(Command.of(argv));
  }

  /** A sparse raw disk with random data in its first, middle and last MiB. */
  private Path randomRaw() throws IOException {
    Path raw = dir.resolve("source.raw");
    Random random = new Random(15);
    try (FileChannel channel =
        FileChannel.open(raw, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long offset : new long[] {0, SIZE / 2 + 4096, SIZE - (1 << 20)}) {
        byte[] data = new byte[1 << 20];
        random.nextBytes(data);
        channel.write(ByteBuffer.wrap(data), offset);
      }
    }
    return raw;
  }

  private static CliRun convert(Path input, Path output, String format) {
    return CliRun.run(
        "convert",
        "--image-file",
        input.toString(),
        "--output-image-file",
        output.toString(),
        "--output-image-format",
        format);
  }

  @Test
  void qcow2ToVhdxToRawMatchesQemuImgAlone() throws IOException {
    Path qcow2 = dir.resolve("input.qcow2");
    qemuImg("convert", "-f", "raw", "-O", "qcow2", randomRaw().toString(), qcow2.toString());
    String inputHash = TestImages.sha256(qcow2);
    Path reference = dir.resolve("reference.raw");
    qemuImg("convert", "-f", "qcow2", "-O", "raw", qcow2.toString(), reference.toString());

    Path vhdx = dir.resolve("out/middle.vhdx");
    CliRun toVhdx = convert(qcow2, vhdx, "vhdx");
    assertThat(toVhdx.code()).as(toVhdx.err()).isZero();
    Path raw = dir.resolve("out/final.raw");
    CliRun toRaw = convert(vhdx, raw, "raw");
    assertThat(toRaw.code()).as(toRaw.err()).isZero();

    assertThat(Files.mismatch(raw, reference)).as("first differing byte").isEqualTo(-1);
    assertThat(TestImages.sha256(qcow2)).as("the input is unchanged").isEqualTo(inputHash);
    assertThat(dir.resolve("out")).isDirectoryNotContaining("glob:**/.*partial");
  }

  @Test
  void aVhdSizedByItsByteCountRoundTripsExactly() throws IOException {
    Path source = randomRaw();
    Path vhd = dir.resolve("fixed.vhd");
    CliRun toVhd = convert(source, vhd, "vhd-fixed");
    assertThat(toVhd.code()).as(toVhd.err()).isZero();
    Path raw = dir.resolve("back.raw");
    CliRun toRaw = convert(vhd, raw, "raw");
    assertThat(toRaw.code()).as(toRaw.err()).isZero();

    assertThat(Files.mismatch(raw, source)).as("first differing byte").isEqualTo(-1);
  }

  @Test
  void aGeometrySizedVhdIsRefused() throws IOException {
    Path vhd = dir.resolve("geometry.vhd");
    qemuImg(
        "convert",
        "-f",
        "raw",
        "-O",
        "vpc",
        "-o",
        "force_size=off",
        randomRaw().toString(),
        vhd.toString());
    String hash = TestImages.sha256(vhd);
    Path output = dir.resolve("out/refused.raw");

    CliRun run = convert(vhd, output, "raw");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("error: the input image " + vhd + " is a VHD sized by its disk geometry")
        .contains("hint: recreate it with '-o force_size=on'")
        .doesNotContain("Exception");
    assertThat(output).doesNotExist();
    assertThat(TestImages.sha256(vhd)).isEqualTo(hash);
  }

  @Test
  void anIsoIsRefused() throws IOException {
    Path iso = randomRaw();
    try (FileChannel channel = FileChannel.open(iso, StandardOpenOption.WRITE)) {
      // The primary volume descriptor's signature, which is all qemu-img does not look at.
      channel.write(ByteBuffer.wrap(new byte[] {1, 'C', 'D', '0', '0', '1', 1}), 32768);
    }

    CliRun run = convert(iso, dir.resolve("out.qcow2"), "qcow2");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("error: the input image " + iso + " is an ISO 9660 volume, which convert does");
    assertThat(dir.resolve("out.qcow2")).doesNotExist();
  }

  @Test
  void customizeRefusesAGeometrySizedVhdBeforeAnyWork() throws IOException {
    assumeTrue(TestImages.canBuild(), "customize needs root");
    Path vhd = dir.resolve("geometry.vhd");
    qemuImg("create", "-f", "vpc", "-o", "force_size=off", vhd.toString(), "64M");

    CliRun run =
        CliRun.customize(dir.resolve("build"), vhd, Runs.HOSTNAME, "raw", dir.resolve("o.raw"));

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("error: the input image " + vhd + " is a VHD sized by its disk");
    assertThat(dir.resolve("build/image.raw")).doesNotExist();
  }
}
