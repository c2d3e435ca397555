package io.imagecustomizer.image.format;

import io.imagecustomizer.config.OutputFormat;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessFailedException;
import io.imagecustomizer.process.ProcessResult;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/** Disk image conversion with qemu-img. */
public final class QemuImg {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ProcessRunner runner;

  public QemuImg(ProcessRunner runner) {
    this.runner = runner;
  }

  /**
   * Writes a raw working copy of {@code input}; the input is opened read-only and never changed.
   */
  public void toRaw(ImageProbe.Source input, Path raw) {
    runner.run(
        Command.of(
                "qemu-img",
                "convert",
                "-U",
                "-O",
                "raw",
                "--image-opts",
                input.imageOpts(),
                raw.toString())
            .streamingOutput());
  }

  /** What {@code qemu-img info} says of a disk image's size. */
  public record Info(long virtualSize, long actualSize) {}

  public Info info(Path image, DiskFormat format) {
    String json =
        runner
            .run(
                Command.of(
                    "qemu-img",
                    "info",
                    "-U",
                    "--output=json",
                    "-f",
                    format.qemuName(),
                    image.toString()))
            .stdout();
    return new Info(number(json, "virtual-size"), number(json, "actual-size"));
  }

  /** A number field of qemu-img's flat JSON; -1 when absent. */
  static long number(String json, String field) {
    Matcher match = Pattern.compile("\"" + field + "\":\\s*(\\d+)").matcher(json);
    return match.find() ? Long.parseLong(match.group(1)) : -1;
  }

  /**
   * Checks the metadata of an image in a {@link DiskFormat#isCheckable() checkable} format.
   *
   * @return what is wrong with it in qemu-img's words, or empty when it is sound (leaked clusters
   *     waste space but lose nothing, so they pass)
   * @throws ProcessFailedException when qemu-img ends in a way that says nothing of the image
   */
  public Optional<String> check(Path image, DiskFormat format) {
    Command check =
        Command.of("qemu-img", "check", "-U", "-f", format.qemuName(), image.toString());
    ProcessResult result = runner.runAllowingFailure(check);
    // 0: sound; 3: leaked clusters only; 2: corruptions; 1: the metadata could not be read.
    // Anything else (stopped by a signal, say) says nothing about the image.
    switch (result.exitCode()) {
      case 0, 3 -> {
        return Optional.empty();
      }
      case 1, 2 -> {
        String output = result.stderr() + "\n" + result.stdout();
        return Optional.of(
            output
                .lines()
                .map(String::strip)
                .filter(line -> line.startsWith("ERROR") || line.startsWith("qemu-img:"))
                .findFirst()
                .orElse("qemu-img check exited with " + result.exitCode()));
      }
      default -> throw new ProcessFailedException(check, result.exitCode(), result.stderr(), null);
    }
  }

  /** Writes the raw image in an output disk format. */
  public void fromRaw(Path raw, OutputFormat format, Path output) {
    List<String> argv = new ArrayList<>(List.of("qemu-img", "convert", "-f", "raw"));
    argv.addAll(target(format));
    argv.add(raw.toString());
    argv.add(output.toString());
    runner.run(Command.of(argv));
  }

  /**
   * Writes a probed input image in an output disk format in one pass; the input is only read.
   *
   * @see ImageProbe
   */
  public void convert(ImageProbe.Source input, OutputFormat format, Path output) {
    List<String> argv = new ArrayList<>(List.of("qemu-img", "convert", "-U"));
    argv.addAll(target(format));
    argv.addAll(List.of("--image-opts", input.imageOpts(), output.toString()));
    runner.run(Command.of(argv).streamingOutput());
  }

  /**
   * {@code -O} and its options, as upstream writes each format: VHDs sized by their byte count
   * (force_size), VHDX in 2 MiB blocks (qemu's size-based default grows the file).
   */
  private static List<String> target(OutputFormat format) {
    return switch (format) {
      case RAW -> List.of("-O", "raw");
      case QCOW2 -> List.of("-O", "qcow2");
      case VHD -> List.of("-O", "vpc", "-o", "subformat=dynamic,force_size=on");
      case VHD_FIXED -> List.of("-O", "vpc", "-o", "subformat=fixed,force_size=on");
      case VHDX -> List.of("-O", "vhdx", "-o", "block_size=2097152");
      default -> throw new IllegalArgumentException(format + " is not a disk format");
    };
  }

  /** The {@code format} qemu-img info reports for a file it probes itself. */
  String probedFormat(Path image) {
    String json =
        runner
            .run(Command.of("qemu-img", "info", "-U", "--output=json", image.toString()))
            .stdout();
    // Parsed, not matched: backing files and children carry "format" fields of their own.
    return JSON.readTree(json).path("format").asString("");
  }
}
