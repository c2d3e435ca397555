package io.imagecustomizer.boot;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.pe.PeImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What grub-mkimage built into a grub EFI binary, read from its {@code mods} section: the prefix
 * (the folder grub reads its grub.cfg and modules from, on the device it was started from unless
 * the prefix names one) and whether an embedded config or memdisk comes with it. Distributions
 * build their signed grub with their own vendor folder as prefix ({@code /EFI/debian}), which the
 * folder a boot medium starts it from does not change.
 */
public record GrubEfiImage(Optional<String> prefix, boolean embeddedConfig, boolean memdisk) {
  private static final int MAGIC = 0x676d696d; // "mimg"
  private static final int MEMDISK = 1;
  private static final int CONFIG = 2;
  private static final int PREFIX = 3;

  /** Reads the binary at {@code file}; one without grub's module section has nothing built in. */
  public static GrubEfiImage read(Path file) {
    Optional<ByteBuffer> mods = PeImage.section(file, "mods");
    return mods.isPresent()
        ? parse(file, mods.get())
        : new GrubEfiImage(Optional.empty(), false, false);
  }

  /**
   * The folder grub reads grub.cfg from, as a path on its boot device: the prefix without a device
   * part ({@code (hd0,gpt1)/boot/grub} gives {@code /boot/grub}), or empty when grub takes the
   * folder it was started from.
   */
  public Optional<String> folder() {
    return prefix
        .map(p -> p.startsWith("(") && p.contains(")") ? p.substring(p.indexOf(')') + 1) : p)
        .filter(p -> p.startsWith("/"))
        .map(p -> p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p);
  }

  /**
   * The module area: a header (magic, padding, offset of the first object, total size), then
   * objects, each a type and a size that counts its own 8-byte header.
   */
  static GrubEfiImage parse(Path file, ByteBuffer mods) {
    if (mods.limit() < 24 || mods.getInt(0) != MAGIC) {
      throw damaged(file);
    }
    long first = mods.getLong(8);
    long end = Math.min(mods.getLong(16), mods.limit());
    String prefix = null;
    boolean config = false;
    boolean memdisk = false;
    long at = first;
    while (at + 8 <= end) {
      int type = mods.getInt((int) at);
      long size = Integer.toUnsignedLong(mods.getInt((int) at + 4));
      if (size < 8 || at + size > end) {
        throw damaged(file);
      }
      switch (type) {
        case PREFIX -> prefix = text(mods, (int) at + 8, (int) size - 8);
        case CONFIG -> config = true;
        case MEMDISK -> memdisk = true;
        default -> {}
      }
      at += size;
    }
    return new GrubEfiImage(Optional.ofNullable(prefix).filter(p -> !p.isEmpty()), config, memdisk);
  }

  /** A NUL-terminated string, padded to the object's alignment. */
  private static String text(ByteBuffer mods, int offset, int length) {
    byte[] bytes = new byte[length];
    mods.get(offset, bytes);
    int end = 0;
    while (end < length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  private static ImageCustomizerException damaged(Path file) {
    return new ImageCustomizerException(
        file + " has a damaged grub module area", "reinstall the image's grub EFI package");
  }
}
