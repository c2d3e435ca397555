package io.imagecustomizer.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Stand-ins for systemd's EFI stubs, for unit tests. */
public final class PeStubs {
  private PeStubs() {}

  /**
   * Writes at {@code file} a PE32+ file laid out as systemd's stubs are: headers up to {@code
   * sizeOfHeaders}, one .text section of 0x200 bytes at 0x1000 in memory, section alignment 0x1000,
   * file alignment 0x200.
   */
  public static Path stub(Path file, int sizeOfHeaders) throws IOException {
    ByteBuffer image = ByteBuffer.allocate(sizeOfHeaders + 0x200).order(ByteOrder.LITTLE_ENDIAN);
    image.putShort(0, (short) 0x5a4d);
    image.putInt(0x3c, 0x40);
    image.putInt(0x40, 0x00004550);
    image.putShort(0x44, (short) 0x8664);
    image.putShort(0x46, (short) 1);
    image.putShort(0x54, (short) 240);
    int optional = 0x58;
    image.putShort(optional, (short) 0x20b);
    image.putInt(optional + 32, 0x1000);
    image.putInt(optional + 36, 0x200);
    image.putInt(optional + 56, 0x2000);
    image.putInt(optional + 60, sizeOfHeaders);
    int text = optional + 240;
    image.put(text, ".text".getBytes(StandardCharsets.US_ASCII));
    image.putInt(text + 8, 0x200);
    image.putInt(text + 12, 0x1000);
    image.putInt(text + 16, 0x200);
    image.putInt(text + 20, sizeOfHeaders);
    image.putInt(text + 36, 0x60000020);
    return Files.write(file, image.array());
  }
}
