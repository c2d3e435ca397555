package io.imagecustomizer.resource;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * A folder deleted with everything in it when closed. The delete never follows symlinks and refuses
 * to cross into a mounted filesystem, so a mount left behind by a failure is never emptied.
 */
public final class TempDir implements AutoCloseable {
  private final Path path;

  private TempDir(Path path) {
    this.path = path;
  }

  /** Creates a fresh folder {@code name} under {@code parent}, replacing nothing. */
  public static TempDir create(Path parent, String name) {
    try {
      Files.createDirectories(parent);
      return new TempDir(Files.createTempDirectory(parent, name + "-"));
    } catch (IOException e) {
      throw new ImageCustomizerException(
          "cannot create a temporary folder in " + parent + ": " + e.getMessage(),
          "check that the build folder is writable and has space");
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() {
    deleteTree(path);
  }

  /** Deletes a folder tree without following links or entering mount points. */
  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> mounts = MountTable.mountPointsUnder(root);
    if (!mounts.isEmpty()) {
      throw new ImageCustomizerException(
          "will not delete " + root + ": " + mounts.get(0) + " is still mounted",
          "unmount it first (umount " + mounts.get(0) + ")");
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              if (e != null) {
                throw e;
              }
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new ImageCustomizerException("cannot delete " + root + ": " + e.getMessage(), null, e);
    }
  }
}
