package io.imagecustomizer.liveos;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.resource.TempDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/** The file operations of a Live OS build, failing with an error that names the file. */
final class FileOps {
  private FileOps() {}

  static Path createDirectories(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot create " + dir, e);
    }
  }

  /** Copies a file over {@code to}, creating its folder. */
  static void copy(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot copy " + from, e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + file, e);
    }
  }

  /** Moves a file over {@code to}, creating its folder. */
  static void move(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot move " + from, e);
    }
  }

  /** Writes a file readable by all, as the media's files are, creating its folder. */
  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write " + file, e);
    }
  }

  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot delete " + file, e);
    }
  }

  /** Deletes what is in {@code folder}, without following links out of it. */
  static void emptyFolder(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      for (Path entry : entries.toList()) {
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          TempDir.deleteTree(entry);
        } else {
          Files.delete(entry);
        }
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot empty " + folder, e);
    }
  }

  static void link(Path link, String target) {
    try {
      Files.createSymbolicLink(link, Path.of(target));
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot create " + link, e);
    }
  }

  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + file, e);
    }
  }
}
