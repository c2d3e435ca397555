package io.imagecustomizer.image.format;

import io.imagecustomizer.config.OutputFormat;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
