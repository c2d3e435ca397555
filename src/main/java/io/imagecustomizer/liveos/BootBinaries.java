package io.imagecustomizer.liveos;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.image.AttachedPartition;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.process.ProcessRunner;
import java.util.List;
import java.util.Optional;

/**
 * Where the image's shim and grub EFI binaries are on its ESP: what a Live OS boots, and what
 * {@code output.artifacts} exports for signing.
 */
public record BootBinaries(FatImage esp, String shim, String grub) {
  private static final List<String> SHIM_NAMES = List.of("bootx64.efi");
  private static final List<String> GRUB_NAMES = List.of("grubx64.efi", "grubx64-noprefix.efi");

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
    return on(FatImage.at(runner, image.rawFile(), partition.partition().offset()));
  }

  /** Finds them on {@code esp}. */
  public static BootBinaries on(FatImage esp) {
    return find(esp, esp.list());
  }

  /** Picks them out of the paths of every file on the ESP. */
  public static BootBinaries find(FatImage esp, List<String> files) {
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
    return new BootBinaries(esp, shim, grub);
  }

  /**
   * Copies them onto the media as EFI/BOOT/bootx64.efi and grubx64.efi, with a grub.cfg that leads
   * to the media's main one in the folder the grub has built in as its prefix: a distribution's
   * signed grub ({@code /EFI/debian}) looks there whichever folder it was started from.
   */
  void copyTo(MediaDir media) {
    FileOps.createDirectories(media.efiBoot());
    esp.copyOut(shim, media.shim());
    esp.copyOut(grub, media.grub());
    media.grubPrefixConfig().ifPresent(config -> FileOps.write(config, LiveOsGrub.REDIRECT));
  }

  /** The first file named one of {@code names}, an earlier name winning. */
  private static Optional<String> first(List<String> files, List<String> names) {
    return names.stream()
        .map(name -> FatImage.named(files, name))
        .flatMap(Optional::stream)
        .findFirst();
  }
}
