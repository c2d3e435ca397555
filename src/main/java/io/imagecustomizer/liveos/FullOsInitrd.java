package io.imagecustomizer.liveos;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.cpio.GzipCpio;
import io.imagecustomizer.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The whole OS tree as the initrd: the kernel unpacks it into its initial RAM filesystem and runs
 * its /init.
 */
final class FullOsInitrd {
  /**
   * The fstab of a full-OS Live OS booted from an ISO: no dracut mounts its media, so the OS mounts
   * them itself where a bootstrap Live OS has them, and files put on the media (the docs'
   * cloud-init seed among them) are found the same way. nofail: the OS still boots should the media
   * be gone; cloud-init, which may read a seed there, waits for the mount.
   */
  static final String MEDIA_FSTAB =
      "# Written by imagecustomizer: the Live OS media, as a bootstrap Live OS mounts them.\n"
          + "LABEL="
          + LiveOsGrub.VOLUME_ID
          + " /run/initramfs/live iso9660 ro,nofail,x-systemd.before=cloud-init-local.service 0 0\n";

  private FullOsInitrd() {}

  static void write(ImageRoot tree, Path output, @Nullable Instant sourceDate) {
    requireSelinuxOff(tree);
    if (!tree.exists("/init")) {
      FileOps.link(tree.hostPath().resolve("init"), "/lib/systemd/systemd");
    }
    try {
      GzipCpio.write(tree.hostPath(), output, sourceDate);
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
