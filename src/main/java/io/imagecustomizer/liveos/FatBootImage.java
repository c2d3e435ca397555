package io.imagecustomizer.liveos;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The FAT image El Torito boots on UEFI, and the ESP appended to the ISO for USB sticks: the shim
 * and grub, and grub.cfgs that hand over to the media's main one.
 */
final class FatBootImage {
  private static final long MIB = 1024 * 1024;

  private FatBootImage() {}

  static void write(ProcessRunner runner, LiveOsWorkDir work) {
    MediaDir media = work.media();
    Path image = media.efiImage();
    // the binaries, with room for the grub.cfgs and FAT's own tables; 3 MiB at least
    long bytes = FileOps.size(media.shim()) + FileOps.size(media.grub()) + 2 * MIB;
    long kib = Math.max(3 * 1024, (bytes + MIB - 1) / MIB * 1024);
    // an ISO input brings its old one, and mkfs.vfat -C will not write over a file
    FileOps.delete(image);
    FatImage fat = FatImage.create(runner, image, "EFIBOOT", kib);
    fat.mkdirs("/EFI", "/EFI/BOOT", "/boot", "/boot/grub2");
    fat.copyIn(media.shim(), "/EFI/BOOT/bootx64.efi");
    fat.copyIn(media.grub(), "/EFI/BOOT/grubx64.efi");
    Path redirect = work.redirectGrubConfig();
    FileOps.write(redirect, LiveOsGrub.REDIRECT);
    fat.copyIn(redirect, "/boot/grub2/grub.cfg");
    fat.copyIn(redirect, "/EFI/BOOT/grub.cfg");
    for (String vendor : vendorFolders(media)) {
      fat.mkdirs("/EFI/" + vendor);
      fat.copyIn(redirect, "/EFI/" + vendor + "/grub.cfg");
    }
  }

  /** The media's EFI/<vendor> folders, where a distribution's grub looks for its grub.cfg. */
  private static List<String> vendorFolders(MediaDir media) {
    try (Stream<Path> folders = Files.list(media.efi())) {
      return folders
          .filter(p -> Files.isRegularFile(p.resolve("grub.cfg")))
          .map(p -> p.getFileName().toString())
          .filter(name -> !name.equalsIgnoreCase("BOOT"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot list the media's EFI folder", e);
    }
  }
}
