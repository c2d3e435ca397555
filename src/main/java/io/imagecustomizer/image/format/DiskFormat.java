package io.imagecustomizer.image.format;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The container format of an input image, told by its content rather than its name. */
public enum DiskFormat {
  RAW("raw"),
  QCOW2("qcow2"),
  VHD("vpc"),
  VHDX("vhdx"),
  ISO("raw");

  private final String qemuName;

  DiskFormat(String qemuName) {
    this.qemuName = qemuName;
  }

  /** The name qemu-img uses ({@code -f}). */
  public String qemuName() {
    return qemuName;
  }

  /** Whether {@code qemu-img check} can check this format's metadata (raw and vhd have none). */
  public boolean isCheckable() {
    return this == QCOW2 || this == VHDX;
  }

  /**
   * The format a file's extension names, or null for names that say nothing ({@code .img}, none).
   */
  public static @Nullable DiskFormat named(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String extension = name.substring(name.lastIndexOf('.') + 1);
    return switch (extension) {
      case "raw" -> RAW;
      case "qcow2" -> QCOW2;
      case "vhd" -> VHD;
      case "vhdx" -> VHDX;
      case "iso" -> ISO;
      default -> null;
    };
  }

  public static DiskFormat detect(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (startsWith(channel, 0, "QFI\u00fb")) {
        return QCOW2;
      }
      if (startsWith(channel, 0, "vhdxfile")) {
        return VHDX;
      }
      if (size >= 512 && startsWith(channel, size - 512, "conectix")) {
        return VHD;
      }
      if (size > 32774 && startsWith(channel, 32769, "CD001")) {
        return ISO;
      }
      return RAW;
    } catch (IOException e) {
      throw new ImageCustomizerException(
          "cannot read the input image " + file + ": " + e.getMessage(), null, e);
    }
  }

  private static boolean startsWith(FileChannel channel, long offset, String magic)
      throws IOException {
    byte[] expected = magic.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer buffer = ByteBuffer.allocate(expected.length);
    channel.read(buffer, offset);
    return java.util.Arrays.equals(buffer.array(), expected);
  }
}
