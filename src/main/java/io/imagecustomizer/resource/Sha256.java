package io.imagecustomizer.resource;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files, and the lines {@code sha256sum -c} checks. */
public final class Sha256 {
  private Sha256() {}

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

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
