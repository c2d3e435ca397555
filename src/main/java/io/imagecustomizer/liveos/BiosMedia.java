package io.imagecustomizer.liveos;

import io.imagecustomizer.boot.ImagePrograms;
import io.imagecustomizer.chroot.Chroot;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What makes Live OS media boot on BIOS firmware too, from the image's own grub: an El Torito core
 * image built by its grub-mkimage, its i386-pc modules for the core image to load, and the MBR code
 * that starts the same core image from a USB stick. The core image reads the media's one grub.cfg,
 * the same the UEFI grub reads. An image without grub's BIOS modules gives UEFI-only media.
 */
final class BiosMedia {
  private static final Logger LOG = LoggerFactory.getLogger(BiosMedia.class);
  static final String MODULES = "/usr/lib/grub/i386-pc";
  private static final List<String> MKIMAGE = List.of("grub2-mkimage", "grub-mkimage");

  /**
   * Where the image's grub-mkimage writes the core image: the chroot's /tmp, a tmpfs gone with the
   * chroot, so nothing is written into the image (which may be read-only, and is being packed).
   */
  private static final String OUTPUT = "/tmp/imagecustomizer-eltorito.img";

  /**
   * Built into the core image: the CD and disk drivers and file systems to reach grub.cfg on the
   * media, whether it was started from a CD or from a stick, and what that grub.cfg runs first.
   */
  private static final List<String> CORE =
      List.of(
          "biosdisk",
          "iso9660",
          "part_gpt",
          "part_msdos",
          "fat",
          "normal",
          "configfile",
          "search",
          "search_label",
          "linux",
          "echo",
          "test");

  private BiosMedia() {}

  /**
   * Stages the BIOS boot files from {@code tree} into {@code media}, if the image has grub's BIOS
   * modules and grub-mkimage.
   */
  static void stage(ProcessRunner runner, ImageRoot tree, MediaDir media) {
    Optional<String> mkimage = ImagePrograms.first(tree, MKIMAGE);
    if (!tree.exists(MODULES + "/cdboot.img")
        || !tree.exists(MODULES + "/boot_hybrid.img")
        || mkimage.isEmpty()) {
      LOG.info(
          "The media boot on UEFI only: the image has no grub BIOS modules ({}; grub2-pc on Azure"
              + " Linux and Fedora, grub-pc-bin on Debian and Ubuntu)",
          MODULES);
      return;
    }
    List<String> argv =
        new ArrayList<>(
            List.of(
                mkimage.get(),
                "-O",
                "i386-pc-eltorito",
                "-d",
                MODULES,
                "-p",
                "/" + MediaDir.GRUB_FOLDER,
                "-o",
                OUTPUT));
    argv.addAll(CORE);
    try (Chroot chroot = Chroot.enter(runner, tree)) {
      chroot.run("build grub's BIOS boot image", argv, Map.of(), null);
      FileOps.copy(tree.resolve(OUTPUT), media.biosImage());
    }
    Path modules = FileOps.createDirectories(media.biosFolder());
    Path source = tree.resolve(MODULES);
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.filter(BiosMedia::isNeeded).toList()) {
        FileOps.copy(file, modules.resolve(file.getFileName().toString()));
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot list " + MODULES + " of the image", e);
    }
  }

  /** Modules and their lists for the core image to load, and the MBR code for xorriso. */
  private static boolean isNeeded(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".mod") || name.endsWith(".lst") || name.equals("boot_hybrid.img");
  }
}
