package io.imagecustomizer.liveos;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.cpio.GzipCpio;
import io.imagecustomizer.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The whole OS tree as the initrd: the kernel unpacks it into its initial RAM filesystem and runs
 * its /init.
 */
final class FullOsInitrd {
  private FullOsInitrd() {}

  static void write(ImageRoot tree, Path output) {
    requireSelinuxOff(tree);
    if (!tree.exists("/init")) {
      FileOps.link(tree.hostPath().resolve("init"), "/lib/systemd/systemd");
    }
    try {
      GzipCpio.write(tree.hostPath(), output);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write the full-OS initrd " + output, e);
    }
  }

  /** A CPIO archive cannot carry SELinux labels, so the OS must not expect them. */
  private static void requireSelinuxOff(ImageRoot tree) {
    if (tree.exists("/etc/selinux/config")
        && tree.readString("/etc/selinux/config")
            .lines()
            .anyMatch(
                l ->
                    l.strip().equals("SELINUX=enforcing")
                        || l.strip().equals("SELINUX=permissive"))) {
      throw new ImageCustomizerException(
          "selinux is not supported for full OS initramfs image",
          "set os.selinux.mode: disabled, or use initramfsType: bootstrap");
    }
  }
}
