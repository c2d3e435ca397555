package io.imagecustomizer.liveos;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.image.AttachedPartition;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.process.ProcessRunner;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the image's shim and grub EFI binaries are on its ESP, and the vendor folders whose name
 * its grub may have built in as the place of its grub.cfg ({@code /EFI/debian}).
 */
record BootBinaries(FatImage esp, String shim, String grub, List<String> vendors) {
  private static final List<String> SHIM_NAMES = List.of("bootx64.efi");
  private static final List<String> GRUB_NAMES = List.of("grubx64.efi", "grubx64-noprefix.efi");

  BootBinaries {
    vendors = List.copyOf(vendors);
  }

  static BootBinaries of(ProcessRunner runner, OsImage image) {
    AttachedPartition partition =
        image
            .esp()
            .orElseThrow(
                () ->
                    new ImageCustomizerException(
                        "failed to find the boot efi file (bootx64.efi): the image has no EFI"
                            + " system partition",
                        "a Live OS boots the image's shim and grub; the image must boot on UEFI"));
    FatImage esp = FatImage.at(runner, image.rawFile(), partition.partition().offset());
    return find(esp, esp.list());
  }

  /** Picks them out of the paths of every file on the ESP. */
  static BootBinaries find(FatImage esp, List<String> files) {
    String shim =
        first(files, SHIM_NAMES)
            .orElseThrow(
                () ->
                    new ImageCustomizerException(
                        "failed to find the boot efi file (bootx64.efi) on the ESP",
                        "it is provided by the shim package"));
    String grub =
        first(files, GRUB_NAMES)
            .orElseThrow(
                () ->
                    new ImageCustomizerException(
                        "failed to find the grub efi file (grubx64.efi or grubx64-noprefix.efi)"
                            + " on the ESP",
                        "it is provided by the grub EFI package"));
    return new BootBinaries(esp, shim, grub, vendorFolders(files));
  }

  /**
   * Copies them onto the media as EFI/BOOT/bootx64.efi and grubx64.efi, with a grub.cfg that leads
   * to the media's in each vendor folder: a distribution's grub (Debian's signed one) looks for
   * {@code /EFI/<vendor>/grub.cfg} on the device it was loaded from.
   */
  void copyTo(MediaDir media) {
    FileOps.createDirectories(media.efiBoot());
    esp.copyOut(shim, media.shim());
    esp.copyOut(grub, media.grub());
    for (String vendor : vendors) {
      FileOps.write(media.efi().resolve(vendor).resolve("grub.cfg"), LiveOsGrub.REDIRECT);
    }
  }

  /** The first file named one of {@code names}, an earlier name winning; FAT names ignore case. */
  private static Optional<String> first(List<String> files, List<String> names) {
    for (String name : names) {
      for (String path : files) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        if (file.toLowerCase(Locale.ROOT).equals(name)) {
          return Optional.of(path);
        }
      }
    }
    return Optional.empty();
  }

  /** The folders {@code /EFI/<name>} other than {@code /EFI/BOOT} that hold a grub of their own. */
  private static List<String> vendorFolders(List<String> files) {
    return files.stream()
        .map(path -> path.split("/"))
        .filter(parts -> parts.length == 4 && parts[1].equalsIgnoreCase("EFI"))
        .filter(parts -> !parts[2].equalsIgnoreCase("BOOT"))
        .filter(parts -> GRUB_NAMES.contains(parts[3].toLowerCase(Locale.ROOT)))
        .map(parts -> parts[2])
        .distinct()
        .sorted()
        .toList();
  }
}
