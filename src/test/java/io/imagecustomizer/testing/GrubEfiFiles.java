package io.imagecustomizer.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small stand-ins for grub EFI binaries: a PE file whose {@code mods} section holds what
 * grub-mkimage puts there (the module area's header, then a prefix object), for unit tests.
 */
public final class GrubEfiFiles {
  private GrubEfiFiles() {}

  /** Writes a PE file at {@code file} with a grub module area whose prefix is {@code prefix}. */
  public static Path withPrefix(Path file, String prefix) throws IOException {
    byte[] text = (prefix + "\0").getBytes(StandardCharsets.UTF_8);
    int object = 8 + (text.length + 7) / 8 * 8;
    ByteBuffer mods = ByteBuffer.allocate(24 + object).order(ByteOrder.LITTLE_ENDIAN);
    mods.putInt(0x676d696d).putInt(0).putLong(24).putLong(24 + object);
    mods.putInt(3).putInt(object).put(text);
    return Files.write(file, pe("mods", mods.array()));
  }

  /** A PE file with one section {@code name} holding {@code data}. */
  public static byte[] pe(String name, byte[] data) {
    int peAt = 64;
    int optional = 0;
    int table = peAt + 24 + optional;
    int dataAt = table + 40;
    ByteBuffer file = ByteBuffer.allocate(dataAt + data.length).order(ByteOrder.LITTLE_ENDIAN);
    file.putShort(0, (short) 0x5a4d).putInt(0x3c, peAt);
    file.putInt(peAt, 0x00004550).putShort(peAt + 6, (short) 1).putShort(peAt + 20, (short) 0);
    byte[] raw = name.getBytes(StandardCharsets.US_ASCII);
    file.put(table, raw);
    file.putInt(table + 16, data.length).putInt(table + 20, dataAt);
    file.put(dataAt, data);
    return file.array();
  }
}
