package io.imagecustomizer.liveos;

import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Files of a FAT filesystem inside a disk image, read with mtools at the partition's offset: the
 * kernel here cannot mount FAT, and mtools needs neither root nor a loop device.
 */
final class EspFiles {
  private final FatImage fat;
  private final List<String> paths;

  private EspFiles(FatImage fat, List<String> paths) {
    this.fat = fat;
    this.paths = paths;
  }

  static EspFiles open(ProcessRunner runner, Path disk, long offset) {
    FatImage fat = FatImage.at(runner, disk, offset);
    return new EspFiles(fat, fat.list());
  }

  /** The first file whose name is one of {@code names} (case-insensitive), as a path on the FAT. */
  Optional<String> find(List<String> names) {
    for (String name : names) {
      for (String path : paths) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        if (file.toLowerCase(Locale.ROOT).equals(name)) {
          return Optional.of(path);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The folders {@code /EFI/<name>} other than {@code /EFI/BOOT} that hold a file named one of
   * {@code names} (a distribution's own copy of its grub).
   */
  List<String> vendorFolders(List<String> names) {
    return paths.stream()
        .map(path -> path.split("/"))
        .filter(parts -> parts.length == 4 && parts[1].equalsIgnoreCase("EFI"))
        .filter(parts -> !parts[2].equalsIgnoreCase("BOOT"))
        .filter(parts -> names.contains(parts[3].toLowerCase(Locale.ROOT)))
        .map(parts -> parts[2])
        .distinct()
        .sorted()
        .toList();
  }

  void copyOut(String fatPath, Path target) {
    fat.copyOut(fatPath, target);
  }
}
