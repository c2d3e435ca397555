package io.imagecustomizer.format.pe;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sections of a PE/COFF file (an EFI binary), read from their headers: only what is asked for
 * is read, so a large binary costs a few kilobytes. Also writes a copy of a small PE file with
 * sections added at its end, which is how a unified kernel image is made from systemd's EFI stub.
 */
public final class PeImage {
  private static final int SECTION_HEADER = 40;

  /** A section's raw data larger than this is no section of an EFI boot loader. */
  private static final long MAX_SECTION = 64L * 1024 * 1024;

  /** A stub larger than this is no EFI stub. */
  private static final long MAX_STUB = 16L * 1024 * 1024;

  /**
   * The bytes read first to find a section: an EFI binary's headers, its section table included,
   * take a few hundred; a longer table is read on.
   */
  private static final int HEADERS = 4096;

  /** Initialized, read-only data: what a UKI's sections are. */
  private static final int DATA_SECTION = 0x40000040;

  private PeImage() {}

  /** A section header: where its data is in memory and in the file. */
  record Section(String name, long virtualSize, long virtualAddress, long rawSize, long rawOffset) {
    /** The bytes of data it holds: the exact size when the header gives it. */
    long dataSize() {
      return virtualSize > 0 && virtualSize < rawSize ? virtualSize : rawSize;
    }

    long virtualEnd() {
      return virtualAddress + Math.max(virtualSize, rawSize);
    }
  }

  /** A section to add: its name (at most 8 ASCII characters) and the file holding its data. */
  public record Addition(String name, Path data) {
    public Addition {
      if (name.isEmpty()
          || name.length() > 8
          || !StandardCharsets.US_ASCII.newEncoder().canEncode(name)) {
        throw new IllegalArgumentException("a PE section name is 1 to 8 ASCII characters: " + name);
      }
    }
  }

  /**
   * The raw data of the first section named {@code name} (at most 8 ASCII characters), if the file
   * has one.
   *
   * @throws ImageCustomizerException when the file cannot be read or is no PE file
   */
  public static Optional<ByteBuffer> section(Path file, String name) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      Optional<Section> found = find(file, in, name);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      if (found.get().dataSize() > MAX_SECTION) {
        throw notPe(file, "section " + name + " is larger than " + MAX_SECTION + " bytes");
      }
      return Optional.of(read(in, found.get().rawOffset(), (int) found.get().dataSize()));
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + file, e);
    }
  }

  /**
   * Copies the data of the first section named {@code name} to {@code target}, however large (a
   * UKI's kernel and initramfs); false when the file has no such section.
   */
  public static boolean copySection(Path file, String name, Path target) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      Optional<Section> found = find(file, in, name);
      if (found.isEmpty()) {
        return false;
      }
      try (FileChannel out =
          FileChannel.open(
              target,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        long done = 0;
        long size = found.get().dataSize();
        while (done < size) {
          done += in.getChannel().transferTo(found.get().rawOffset() + done, size - done, out);
        }
      }
      return true;
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot copy section " + name + " of " + file, e);
    }
  }

  /**
   * Writes {@code out}: {@code stub} with the {@code additions} as new sections after its own, each
   * at the next section- and file-aligned place, the headers counting them in the image size. The
   * stub must have room in its headers for the new section headers (systemd's stubs leave it).
   */
  public static void withSections(Path stub, List<Addition> additions, Path out) {
    append(stub, small(stub), additions, out);
  }

  /**
   * Writes {@code out}: {@code file} with the data of its last section, which must be named {@code
   * name}, replaced by {@code data} (a UKI addon's command line).
   */
  public static void withLastSectionReplaced(Path file, String name, Path data, Path out) {
    ByteBuffer image = small(file);
    Headers headers = headers(file, image);
    List<Section> sections = table(image, headers);
    if (sections.isEmpty() || !sections.get(sections.size() - 1).name().equals(name)) {
      throw notPe(file, "its last section is not " + name);
    }
    Section last = sections.get(sections.size() - 1);
    if (last.rawOffset() > image.capacity()) {
      throw notPe(file, "section " + name + " lies outside the file");
    }
    int at = headers.table() + SECTION_HEADER * (sections.size() - 1);
    image.put(at, new byte[SECTION_HEADER]);
    image.putShort(headers.coff() + 2, (short) (sections.size() - 1));
    ByteBuffer rest = ByteBuffer.allocate((int) last.rawOffset()).order(ByteOrder.LITTLE_ENDIAN);
    rest.put(0, image, 0, rest.capacity());
    append(file, rest, List.of(new Addition(name, data)), out);
  }

  private static ByteBuffer small(Path file) {
    try {
      if (Files.size(file) > MAX_STUB) {
        throw notPe(file, "larger than an EFI stub can be");
      }
      return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + file, e);
    }
  }

  private static void append(Path stub, ByteBuffer image, List<Addition> additions, Path out) {
    try {
      Headers headers = headers(stub, image);
      if (headers.optional() + 68 > image.capacity()) { // up to its CheckSum, written below
        throw notPe(stub, "no optional header");
      }
      long sectionAlignment = uint(image, headers.optional() + 32);
      long fileAlignment = uint(image, headers.optional() + 36);
      long sizeOfHeaders = uint(image, headers.optional() + 60);
      List<Section> sections = table(image, headers);
      int tableEnd = headers.table() + SECTION_HEADER * (sections.size() + additions.size());
      long firstData =
          sections.stream()
              .filter(s -> s.rawSize() > 0)
              .mapToLong(Section::rawOffset)
              .min()
              .orElse(image.capacity());
      if (tableEnd > sizeOfHeaders || tableEnd > firstData) {
        throw notPe(stub, "no room in its headers for " + additions.size() + " more sections");
      }
      long virtualNext =
          align(sections.stream().mapToLong(Section::virtualEnd).max().orElse(0), sectionAlignment);
      long rawNext = align(image.capacity(), fileAlignment);
      List<Section> added = new ArrayList<>();
      for (Addition addition : additions) {
        long size = Files.size(addition.data());
        Section section =
            new Section(addition.name(), size, virtualNext, align(size, fileAlignment), rawNext);
        if (section.rawOffset() + section.rawSize() > 0xffff_ffffL
            || section.virtualEnd() > 0xffff_ffffL) {
          throw new ImageCustomizerException(
              "cannot add " + addition.data() + " to " + stub + ": a PE file ends at 4 GiB");
        }
        added.add(section);
        virtualNext = align(section.virtualAddress() + size, sectionAlignment);
        rawNext = section.rawOffset() + section.rawSize();
      }
      int at = headers.table() + SECTION_HEADER * sections.size();
      for (Section section : added) {
        writeHeader(image, at, section);
        at += SECTION_HEADER;
      }
      image.putShort(headers.coff() + 2, (short) (sections.size() + added.size()));
      image.putInt(headers.optional() + 56, (int) virtualNext); // SizeOfImage
      image.putInt(
          headers.optional() + 64, 0); // CheckSum: no EFI loader checks it; a signer sets it
      try (OutputStream file = Files.newOutputStream(out)) {
        file.write(image.array());
        long written = image.capacity();
        for (int i = 0; i < added.size(); i++) {
          Section section = added.get(i);
          written = pad(file, written, section.rawOffset());
          try (InputStream data = Files.newInputStream(additions.get(i).data())) {
            written += data.transferTo(file);
          }
          written = pad(file, written, section.rawOffset() + section.rawSize());
        }
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write " + out, e);
    }
  }

  /** Where the COFF header, the optional header and the section table start. */
  private record Headers(int coff, int optional, int table, int sections) {}

  private static Headers headers(Path file, ByteBuffer image) {
    if (image.capacity() < 64 || image.getShort(0) != 0x5a4d) { // "MZ"
      throw notPe(file, "no MZ header");
    }
    int pe = image.getInt(0x3c);
    if (pe < 0 || pe + 24 > image.capacity() || image.getInt(pe) != 0x00004550) { // "PE\0\0"
      throw notPe(file, "no PE signature");
    }
    int coff = pe + 4;
    int optional = pe + 24;
    return new Headers(
        coff,
        optional,
        optional + Short.toUnsignedInt(image.getShort(coff + 16)),
        Short.toUnsignedInt(image.getShort(coff + 2)));
  }

  private static List<Section> table(ByteBuffer image, Headers headers) {
    List<Section> sections = new ArrayList<>();
    for (int i = 0; i < headers.sections(); i++) {
      int at = headers.table() + i * SECTION_HEADER;
      sections.add(
          new Section(
              name(image, at),
              uint(image, at + 8),
              uint(image, at + 12),
              uint(image, at + 16),
              uint(image, at + 20)));
    }
    return sections;
  }

  private static Optional<Section> find(Path file, RandomAccessFile in, String name)
      throws IOException {
    ByteBuffer start = read(in, 0, (int) Math.min(in.length(), HEADERS));
    Headers headers = headers(file, start);
    int tableEnd = headers.table() + SECTION_HEADER * headers.sections();
    ByteBuffer image = tableEnd <= start.capacity() ? start : read(in, 0, tableEnd);
    Optional<Section> found =
        table(image, headers).stream().filter(s -> s.name().equals(name)).findFirst();
    if (found.isPresent() && found.get().rawOffset() + found.get().dataSize() > in.length()) {
      throw notPe(file, "section " + name + " lies outside the file");
    }
    return found;
  }

  private static void writeHeader(ByteBuffer image, int at, Section section) {
    byte[] name = new byte[8];
    byte[] ascii = section.name().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(ascii, 0, name, 0, ascii.length);
    image.put(at, name);
    image.putInt(at + 8, (int) section.virtualSize());
    image.putInt(at + 12, (int) section.virtualAddress());
    image.putInt(at + 16, (int) section.rawSize());
    image.putInt(at + 20, (int) section.rawOffset());
    for (int field = 24; field < 36; field += 4) {
      image.putInt(at + field, 0); // no relocations or line numbers
    }
    image.putInt(at + 36, DATA_SECTION);
  }

  private static long pad(OutputStream out, long written, long to) throws IOException {
    if (written > to) {
      throw new IOException("section data ran past its place in the file");
    }
    out.write(new byte[(int) (to - written)]);
    return to;
  }

  private static long align(long value, long alignment) {
    if (alignment <= 1) {
      return value;
    }
    return (value + alignment - 1) / alignment * alignment;
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

  private static long uint(ByteBuffer image, int at) {
    return Integer.toUnsignedLong(image.getInt(at));
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
