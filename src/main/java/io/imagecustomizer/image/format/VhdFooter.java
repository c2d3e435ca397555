package io.imagecustomizer.image.format;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;

/**
 * The 512-byte footer that ends every VHD file, read as upstream reads it to tell how the disk's
 * size is counted. A fixed VHD is a raw disk plus this footer, so qemu-img calls it raw; and qemu
 * sizes a VHD by its cylinder/head/sector geometry unless the creator is one it knows to use the
 * exact byte count, which loses the disk's last sectors (and with them the backup GPT).
 */
public record VhdFooter(int formatVersion, String creator) {
  static final int SIZE = 512;
  private static final String COOKIE = "conectix";
  private static final int VERSION_1 = 0x0001_0000;

  /**
   * Creators whose files are sized by geometry: Virtual PC, Virtual Server, and qemu-img without
   * {@code force_size=on} (with it, qemu writes "qem2").
   */
  private static final Set<String> GEOMETRY_CREATORS = Set.of("vpc ", "vs  ", "qemu");

  /** The footer at the end of {@code file}, or empty when the file does not end in one. */
  public static Optional<VhdFooter> read(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < SIZE) {
        return Optional.empty();
      }
      ByteBuffer footer = ByteBuffer.allocate(SIZE);
      while (footer.hasRemaining()) {
        if (channel.read(footer, size - SIZE + footer.position()) < 0) {
          break;
        }
      }
      return parse(footer.array());
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read the end of " + file, e);
    }
  }

  /** The footer in these 512 bytes (big-endian, as the VHD specification lays it out). */
  static Optional<VhdFooter> parse(byte[] footer) {
    if (!COOKIE.equals(ascii(footer, 0, 8))) {
      return Optional.empty();
    }
    int version = ByteBuffer.wrap(footer, 12, 4).getInt();
    return Optional.of(new VhdFooter(version, ascii(footer, 28, 4)));
  }

  /** Whether this footer's version is the only one the VHD specification defines. */
  public boolean isKnownVersion() {
    return formatVersion == VERSION_1;
  }

  /** Whether qemu would size this disk by its geometry rather than by its byte count. */
  public boolean isGeometrySized() {
    return GEOMETRY_CREATORS.contains(creator);
  }

  private static String ascii(byte[] bytes, int offset, int length) {
    return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
  }
}
