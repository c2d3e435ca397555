package io.imagecustomizer.liveos;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.cpio.GzipCpio;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The whole OS tree as the initrd: the kernel unpacks it into its initial RAM filesystem and runs
 * it. A CPIO archive cannot carry extended attributes, which is why SELinux cannot be on.
 */
final class FullOsInitrd {
  private FullOsInitrd() {}

  static void write(Path tree, Path output) {
    try {
      GzipCpio.write(tree, output);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write the full-OS initrd " + output, e);
    }
  }
}
