package io.imagecustomizer.liveos;

import java.nio.file.Path;

/** Every path a Live OS build uses under its work folder, named once. */
public record LiveOsWorkDir(Path path) {
  /** The media's files, laid out as the ISO holds them. */
  MediaDir media() {
    return new MediaDir(staging());
  }

  /** The folder {@link #media()} is in. */
  public Path staging() {
    return path.resolve("staging");
  }

  /** Where the customized disk image is mounted read-only while the media are built from it. */
  public Path imageMount() {
    return path.resolve("image");
  }

  /** An OS tree, copied from the image or unpacked from an ISO, until it is packed again. */
  public Path rootfs() {
    return path.resolve("rootfs");
  }

  /**
   * Where the OS tree is seen again, apart from the chroots' mounts on it, while mksquashfs packs
   * it.
   */
  Path squashfsSource() {
    return path.resolve("squashfs-source");
  }

  /** The PXE grub.cfg; the media holds the ISO's. */
  Path pxeGrubConfig() {
    return path.resolve("grub-pxe.cfg");
  }

  /** The grub.cfg of the FAT boot image, beside the staging folder so it is not on the ISO. */
  Path redirectGrubConfig() {
    return path.resolve("redirect-grub.cfg");
  }

  /**
   * An ISO input's bootstrap initrds with the fingerprints of what they were built from, held apart
   * from the media until the rebuilt OS shows whether they can be reused.
   */
  Path inputInitrds() {
    return path.resolve("input-initrds");
  }

  /** The OS's kdump files, held while its /boot is emptied. */
  Path kdump() {
    return path.resolve("kdump");
  }

  /** PXE artifacts waiting to be packed as a .tar.gz. */
  Path pxe() {
    return path.resolve("pxe");
  }
}
