package io.imagecustomizer.boot;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The kernels of a boot folder, by version: {@code vmlinuz-<version>}. */
public final class Kernels {
  private static final String PREFIX = "vmlinuz-";

  private Kernels() {}

  /** The versions of the kernels in {@code bootDir}, sorted; none when the folder is missing. */
  public static List<String> versions(Path bootDir) {
    if (!Files.isDirectory(bootDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(bootDir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> name.startsWith(PREFIX))
          .map(name -> name.substring(PREFIX.length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot list " + bootDir, e);
    }
  }

  /** The kernel versions in the image's /boot; it must have one. */
  public static List<String> installed(ImageRoot root) {
    List<String> versions = versions(root.resolve("/boot"));
    if (versions.isEmpty()) {
      throw new ImageCustomizerException(
          "the image has no kernel (/boot/" + fileName("<version>") + ")",
          "install a kernel package");
    }
    return versions;
  }

  /** The file name of the kernel {@code version}. */
  public static String fileName(String version) {
    return PREFIX + version;
  }
}
