package io.imagecustomizer.customize;

import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The disk image under customization, for the steps that work on more than the OS tree (the boot
 * loader reset and the UKI step read its partitions and write its ESP with host tools).
 *
 * @param scratch a build-folder file those steps may write and delete
 * @param buildDir the build folder, where those steps make their temporary folders
 */
public record BootDisk(OsImage image, ProcessRunner runner, Path scratch, Path buildDir) {
  /**
   * The ESP (the filesystem the OS mounts at /boot/efi, else the EFI system partition), read and
   * written with mtools: it is never mounted.
   */
  public Optional<FatImage> esp() {
    return image
        .mountedAt("/boot/efi")
        .or(image::esp)
        .map(esp -> FatImage.at(runner, image.rawFile(), esp.partition().offset()));
  }
}
