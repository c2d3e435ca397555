package io.imagecustomizer.format.pe;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The sections of a PE/COFF file (an EFI binary), read from their headers: only what is asked for
 * is read, so a large binary costs a few kilobytes.
 */
public final class PeImage {
  private static final int SECTION_HEADER = 40;

  /** A section's raw data larger than this is no section of an EFI boot loader. */
  private static final long MAX_SECTION = 64L * 1024 * 1024;

  private PeImage() {}

  /**
   * The raw data of the first section named {@code name} (at most 8 ASCII characters), if the file
   * has one.
   *
   * @throws ImageCustomizerException when the file cannot be read or is no PE file
   */
  public static Optional<ByteBuffer> section(Path file, String name) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      ByteBuffer dos = read(in, 0, 64);
      if (dos.getShort(0) != 0x5a4d) { // "MZ"
        throw notPe(file, "no MZ header");
      }
      long pe = Integer.toUnsignedLong(dos.getInt(0x3c));
      ByteBuffer coff = read(in, pe, 24);
      if (coff.getInt(0) != 0x00004550) { // "PE\0\0"
        throw notPe(file, "no PE signature");
      }
      int sections = Short.toUnsignedInt(coff.getShort(6));
      int optionalHeader = Short.toUnsignedInt(coff.getShort(20));
      ByteBuffer table = read(in, pe + 24 + optionalHeader, sections * SECTION_HEADER);
      for (int i = 0; i < sections; i++) {
        int at = i * SECTION_HEADER;
        if (name(table, at).equals(name)) {
          long size = Integer.toUnsignedLong(table.getInt(at + 16));
          long offset = Integer.toUnsignedLong(table.getInt(at + 20));
          if (size > MAX_SECTION || offset + size > in.length()) {
            throw notPe(file, "section " + name + " lies outside the file");
          }
          return Optional.of(read(in, offset, (int) size));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + file, e);
    }
  }

  private static String name(ByteBuffer table, int at) {
    byte[] raw = new byte[8];
    table.get(at, raw);
    int length = 0;
    while (length < raw.length && raw[length] != 0) {
      length++;
    }
    return new String(raw, 0, length, StandardCharsets.US_ASCII);
  }

  private static ByteBuffer read(RandomAccessFile in, long offset, int length) throws IOException {
    if (offset < 0 || offset + length > in.length()) {
      throw new IOException("the file ends before byte " + (offset + length));
    }
    byte[] bytes = new byte[length];
    in.seek(offset);
    in.readFully(bytes);
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ImageCustomizerException notPe(Path file, String why) {
    return new ImageCustomizerException(
        file + " is not an EFI binary: " + why, "the image's EFI boot loader may be damaged");
  }
}
