package io.imagecustomizer.image.partition;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * Reads the GUID partition table of a raw disk image (512-byte sectors), checking the header and
 * entry-array CRCs, so a damaged table is an error and never a guess.
 */
public final class GptReader {
  static final int SECTOR = 512;
  private static final byte[] SIGNATURE = "EFI PART".getBytes(StandardCharsets.US_ASCII);
  private static final String UNUSED = "00000000-0000-0000-0000-000000000000";

  private GptReader() {}

  public static List<Partition> read(Path image) {
    try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ)) {
      ByteBuffer header = readAt(file, SECTOR, SECTOR);
      byte[] signature = new byte[8];
      header.get(0, signature);
      if (!java.util.Arrays.equals(signature, SIGNATURE)) {
        throw fail(
            image,
            "it has no GPT partition table (no \"EFI PART\" header at byte 512)",
            "the tool needs a GPT disk image; a file damaged at its start looks like this too");
      }
      int headerSize = header.getInt(12);
      if (headerSize < 92 || headerSize > SECTOR) {
        throw fail(image, "its GPT header size " + headerSize + " is invalid", null);
      }
      int headerCrc = header.getInt(16);
      ByteBuffer copy = ByteBuffer.allocate(headerSize).order(ByteOrder.LITTLE_ENDIAN);
      copy.put(header.duplicate().position(0).limit(headerSize));
      copy.putInt(16, 0);
      if (crc(copy.array()) != headerCrc) {
        throw fail(image, "its GPT header checksum is wrong", "the image is damaged");
      }
      long entriesLba = header.getLong(72);
      int count = header.getInt(80);
      int entrySize = header.getInt(84);
      int entriesCrc = header.getInt(88);
      if (count <= 0 || count > 4096 || entrySize < 128 || entrySize > 4096) {
        throw fail(image, "its GPT entry table has an impossible shape", null);
      }
      ByteBuffer entries = readAt(file, entriesLba * SECTOR, count * entrySize);
      if (crc(entries.array()) != entriesCrc) {
        throw fail(image, "its GPT partition entries checksum is wrong", "the image is damaged");
      }
      List<Partition> partitions = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int at = i * entrySize;
        String type = guid(entries, at);
        if (type.equals(UNUSED)) {
          continue;
        }
        long first = entries.getLong(at + 32);
        long last = entries.getLong(at + 40);
        byte[] name = new byte[72];
        entries.get(at + 56, name);
        partitions.add(
            new Partition(
                i + 1,
                first * SECTOR,
                (last - first + 1) * SECTOR,
                type,
                guid(entries, at + 16),
                new String(name, StandardCharsets.UTF_16LE).replace("\0", "")));
      }
      return partitions;
    } catch (IOException e) {
      throw fail(image, "cannot read it: " + e.getMessage(), null);
    }
  }

  private static ByteBuffer readAt(FileChannel file, long offset, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (file.read(buffer, offset + buffer.position()) < 0) {
        throw new IOException("the file ends at " + (offset + buffer.position()));
      }
    }
    return buffer.clear();
  }

  /** GUIDs store their first three fields little-endian, the rest as bytes. */
  static String guid(ByteBuffer buffer, int at) {
    return String.format(
        "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
        buffer.getInt(at),
        buffer.getShort(at + 4),
        buffer.getShort(at + 6),
        buffer.get(at + 8),
        buffer.get(at + 9),
        buffer.get(at + 10),
        buffer.get(at + 11),
        buffer.get(at + 12),
        buffer.get(at + 13),
        buffer.get(at + 14),
        buffer.get(at + 15));
  }

  private static int crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return (int) crc.getValue();
  }

  private static UnreadableException fail(Path image, String what, @Nullable String hint) {
    return new UnreadableException(image, what, hint);
  }

  /** A partition table that cannot be read, with what is wrong apart from the file's name. */
  public static final class UnreadableException extends ImageCustomizerException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    UnreadableException(Path image, String reason, @Nullable String hint) {
      super("cannot read the partitions of " + image + ": " + reason, hint);
      this.reason = reason;
    }

    /** What is wrong with the table ("its GPT header checksum is wrong"). */
    public String reason() {
      return reason;
    }
  }
}
