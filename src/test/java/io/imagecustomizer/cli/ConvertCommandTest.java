package io.imagecustomizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flags of {@code convert}, by upstream's rules; none of these runs qemu-img. */
class ConvertCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int convert(String... flags) {
    String[] args = new String[flags.length + 1];
    args[0] = "convert";
    System.arraycopy(flags, 0, args, 1, flags.length);
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private String in() {
    return dir.resolve("in.qcow2").toString();
  }

  private String outFile() {
    return dir.resolve("out.img").toString();
  }

  @Test
  void helpListsUpstreamsFlags() {
    assertThat(convert("--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--build-dir",
            "--image-file",
            "--output-image-file",
            "--output-path",
            "--output-image-format",
            "--cosi-compression-level",
            "--tools-dir");
  }

  @Test
  void imageFileOutputAndFormatAreRequired() {
    assertThat(convert("--output-image-file", outFile(), "--output-image-format", "raw"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--image-file");
  }

  @Test
  void anUnknownFormatIsBadUsage() {
    assertThat(
            convert(
                "--image-file",
                in(),
                "--output-image-file",
                outFile(),
                "--output-image-format",
                "vmdk"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("vmdk");
  }

  @Test
  void liveOsFormatsAreNotConvertOutputs() {
    assertThat(
            convert(
                "--image-file",
                in(),
                "--output-image-file",
                outFile(),
                "--output-image-format",
                "iso"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("convert writes vhd, vhd-fixed, vhdx", "not iso");
  }

  @Test
  void cosiNeedsABuildDir() {
    assertThat(
            convert(
                "--image-file", in(), "--output-path", outFile(), "--output-image-format", "cosi"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--build-dir is required for cosi and baremetal-image");
  }

  @Test
  void aCompressionLevelOnlyGoesWithCosi() {
    assertThat(
            convert(
                "--image-file",
                in(),
                "--output-path",
                outFile(),
                "--output-image-format",
                "vhdx",
                "--cosi-compression-level",
                "9"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("only be given with --output-image-format cosi");
  }

  @Test
  void aCompressionLevelIsOneToTwentyTwo() {
    assertThat(
            convert(
                "--build-dir",
                dir.toString(),
                "--image-file",
                in(),
                "--output-path",
                outFile(),
                "--output-image-format",
                "baremetal-image",
                "--cosi-compression-level",
                "23"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("between 1 and 22, not 23");
  }

  @Test
  void aMissingInputIsNamed() {
    assertThat(
            convert(
                "--image-file",
                in(),
                "--output-path",
                outFile(),
                "--output-image-format",
                "raw",
                "--tools-dir",
                dir.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("the input image " + in() + " does not exist");
  }

  @Test
  void theOutputCannotBeADirectory() throws IOException {
    Files.createFile(Path.of(in()));

    assertThat(
            convert(
                "--image-file",
                in(),
                "--output-path",
                dir.toString(),
                "--output-image-format",
                "raw"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("the output path " + dir + " is a directory");
  }

  @Test
  void theTimestampFileIsARootFlagAsUpstreamsAndTimesConvertToo() throws IOException {
    Path times = dir.resolve("times.jsonl");

    int code =
        Main.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "--timestamp-file",
            times.toString(),
            "convert",
            "--image-file",
            in(),
            "--output-path",
            outFile(),
            "--output-image-format",
            "raw");

    assertThat(code).as("the input is missing").isEqualTo(1);
    assertThat(Files.readAllLines(times))
        .as("the run's span, started and stopped even though it failed")
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).contains("\"Name\":\"imagecustomizer\""));
  }
}
