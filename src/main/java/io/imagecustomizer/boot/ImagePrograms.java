package io.imagecustomizer.boot;

import io.imagecustomizer.image.ImageRoot;
import java.util.List;
import java.util.Optional;

/**
 * The image's own programs, found by name where distributions install them. Distributions name
 * grub's tools differently (grub2-mkconfig on Azure Linux and Fedora, grub-mkconfig on Debian), so
 * callers give every name, the preferred one first.
 */
public final class ImagePrograms {
  private static final List<String> BIN = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private ImagePrograms() {}

  /** The first of {@code names} the image has, as a name its PATH resolves. */
  public static Optional<String> first(ImageRoot root, List<String> names) {
    return names.stream()
        .filter(name -> BIN.stream().anyMatch(dir -> root.exists(dir + "/" + name)))
        .findFirst();
  }
}
