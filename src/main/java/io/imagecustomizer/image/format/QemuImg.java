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

/** Disk image conversion with qemu-img. */
public final class QemuImg {
  private final ProcessRunner runner;

  public QemuImg(ProcessRunner runner) {
    this.runner = runner;
  }

  /**
   * Writes a raw working copy of {@code input}; the input is opened read-only and never changed.
   */
  public void toRaw(Path input, DiskFormat format, Path raw) {
    runner.run(
        Command.of(
                "qemu-img",
                "convert",
                "-f",
                format.qemuName(),
                "-O",
                "raw",
                "-U",
                input.toString(),
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
    List<String> argv = new ArrayList<>(List.of("qemu-img", "convert", "-f", "raw", "-O"));
    switch (format) {
      case RAW -> argv.add("raw");
      case QCOW2 -> argv.add("qcow2");
      case VHD -> argv.addAll(List.of("vpc", "-o", "subformat=dynamic,force_size=on"));
      case VHD_FIXED -> argv.addAll(List.of("vpc", "-o", "subformat=fixed,force_size=on"));
      case VHDX -> argv.addAll(List.of("vhdx", "-o", "block_size=2097152"));
      default -> throw new IllegalArgumentException(format + " is not a disk format");
    }
    argv.add(raw.toString());
    argv.add(output.toString());
    runner.run(Command.of(argv));
  }
}
