package io.imagecustomizer.resource;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** SHA-256 of files, and the lines {@code sha256sum -c} checks. */
public final class Sha256 {
  /** The checksum file of a folder, named as distributions name theirs. */
  public static final String SUMS = "SHA256SUMS";

  private Sha256() {}

  /** A file of a folder: its path relative to the folder, its size and its SHA-256. */
  public record Entry(String name, long size, String sha256) {}

  /**
   * Writes {@link #SUMS} in {@code folder}, a line for every regular file under it (sorted by path,
   * so the same files give the same file), and returns those files.
   */
  public static List<Entry> writeSums(Path folder) {
    List<Entry> entries = new ArrayList<>();
    StringBuilder sums = new StringBuilder();
    try (Stream<Path> walk = Files.walk(folder)) {
      List<Path> files =
          walk.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
              .filter(file -> !file.equals(folder.resolve(SUMS)))
              .sorted()
              .toList();
      for (Path file : files) {
        String name = folder.relativize(file).toString();
        String sha256 = of(file);
        entries.add(new Entry(name, Files.size(file), sha256));
        sums.append(line(sha256, name));
      }
      Files.writeString(folder.resolve(SUMS), sums, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write the checksums of " + folder, e);
    }
    return List.copyOf(entries);
  }

  /** The file's SHA-256 in lower-case hex, as sha256sum prints it. */
  public static String of(Path file) {
    MessageDigest digest = digest();
    // Direct and large: outputs are gigabytes, read once.
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        digest.update(buffer);
        buffer.clear();
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + file + " to checksum it", e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * One line of a checksum file: the hash, two spaces (sha256sum's text mode, which on Linux reads
   * the same bytes as binary mode) and the name as sha256sum will open it, relative to the folder
   * it is run in.
   */
  public static String line(String sha256, String name) {
    if (name.contains("\n") || name.contains("\\")) {
      // sha256sum escapes such names with a leading backslash; ours never need it.
      throw new ImageCustomizerException(
          "cannot list " + name + " in a checksum file: its name has a newline or a backslash",
          "name the output without them");
    }
    return sha256 + "  " + name + "\n";
  }

  /** A new SHA-256 digest. */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
