package io.imagecustomizer.liveos;

import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The FAT image El Torito boots on UEFI, and the ESP appended to the ISO for USB sticks: the shim
 * and grub, and grub.cfgs that hand over to the media's main one.
 */
final class FatBootImage {
  private static final long MIB = 1024 * 1024;

  private FatBootImage() {}

  /**
   * @param sourceDate if given, the image is reproducible, every file dated with it
   */
  static void write(ProcessRunner runner, LiveOsWorkDir work, @Nullable Instant sourceDate) {
    MediaDir media = work.media();
    Path image = media.efiImage();
    // the binaries, with room for the grub.cfgs and FAT's own tables; 3 MiB at least
    long bytes = FileOps.size(media.shim()) + FileOps.size(media.grub()) + 2 * MIB;
    long kib = Math.max(3 * 1024, (bytes + MIB - 1) / MIB * 1024);
    // an ISO input brings its old one, and mkfs.vfat -C will not write over a file
    FileOps.delete(image);
    FatImage fat = FatImage.create(runner, image, "EFIBOOT", kib, sourceDate);
    List<String> folders = new ArrayList<>(List.of("/EFI", "/EFI/BOOT", "/boot", "/boot/grub2"));
    Optional<Path> prefixConfig = media.grubPrefixConfig();
    String prefixPath = prefixConfig.map(c -> "/" + media.root().relativize(c)).orElse(null);
    if (prefixPath != null) {
      parents(prefixPath.substring(0, prefixPath.lastIndexOf('/'))).stream()
          .filter(folder -> folders.stream().noneMatch(folder::equalsIgnoreCase))
          .forEach(folders::add);
    }
    fat.mkdirs(folders.toArray(String[]::new));
    fat.copyIn(media.shim(), "/EFI/BOOT/bootx64.efi");
    fat.copyIn(media.grub(), "/EFI/BOOT/grubx64.efi");
    Path redirect = work.redirectGrubConfig();
    FileOps.write(redirect, LiveOsGrub.REDIRECT);
    fat.copyIn(redirect, "/boot/grub2/grub.cfg");
    fat.copyIn(redirect, "/EFI/BOOT/grub.cfg");
    if (prefixPath != null) {
      // the folder the image's grub has built in as its prefix, e.g. /EFI/debian
      fat.copyIn(redirect, prefixPath);
    }
  }

  /** {@code /a/b/c} as {@code /a}, {@code /a/b}, {@code /a/b/c}, for mkdirs. */
  static List<String> parents(String folder) {
    List<String> parents = new ArrayList<>();
    for (int slash = folder.indexOf('/', 1); slash > 0; slash = folder.indexOf('/', slash + 1)) {
      parents.add(folder.substring(0, slash));
    }
    parents.add(folder);
    return parents;
  }
}
