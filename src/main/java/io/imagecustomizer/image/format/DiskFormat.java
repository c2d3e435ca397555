package io.imagecustomizer.image.format;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
