package io.imagecustomizer.liveos;

import io.imagecustomizer.boot.ImagePrograms;
import io.imagecustomizer.chroot.Chroot;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.process.Command;
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
 * the same the UEFI grub reads. An image without grub's BIOS modules gets this machine's.
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
   * Stages the BIOS boot files into {@code media}: from {@code tree}'s grub-mkimage and BIOS
   * modules, or, when the image has none (Azure Linux images usually ship grub for UEFI only), from
   * this machine's. The core image only finds and reads the media's grub.cfg, so its grub need not
   * be the image's. Without either the media boot on UEFI only.
   */
  static void stage(ProcessRunner runner, ImageRoot tree, MediaDir media) {
    Optional<String> mkimage = ImagePrograms.first(tree, MKIMAGE);
    if (hasModules(tree.resolve(MODULES)) && mkimage.isPresent()) {
      try (Chroot chroot = Chroot.enter(runner, tree)) {
        chroot.run("build grub's BIOS boot image", mkimage(mkimage.get(), OUTPUT), Map.of(), null);
        FileOps.copy(tree.resolve(OUTPUT), media.biosImage());
      }
      copyModules(tree.resolve(MODULES), media);
      return;
    }
    Path hostModules = Path.of(MODULES);
    Optional<String> hostMkimage = MKIMAGE.stream().filter(BiosMedia::onPath).findFirst();
    if (hasModules(hostModules) && hostMkimage.isPresent()) {
      LOG.info(
          "The image has no grub BIOS modules ({}): the media boot on BIOS with this machine's"
              + " (grub-pc-bin)",
          MODULES);
      FileOps.createDirectories(media.biosImage().getParent());
      runner.run(Command.of(mkimage(hostMkimage.get(), media.biosImage().toString())));
      copyModules(hostModules, media);
      return;
    }
    LOG.warn(
        "The media boot on UEFI only: neither the image nor this machine has grub's BIOS modules"
            + " ({}; grub-pc-bin on Debian and Ubuntu, grub2-pc on Azure Linux and"
            + " Fedora)",
        MODULES);
  }

  private static boolean hasModules(Path modules) {
    return Files.exists(modules.resolve("cdboot.img"))
        && Files.exists(modules.resolve("boot_hybrid.img"));
  }

  private static boolean onPath(String program) {
    return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }

  private static List<String> mkimage(String program, String output) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                program,
                "-O",
                "i386-pc-eltorito",
                "-d",
                MODULES,
                "-p",
                "/" + MediaDir.GRUB_FOLDER,
                "-o",
                output));
    argv.addAll(CORE);
    return argv;
  }

  private static void copyModules(Path source, MediaDir media) {
    Path modules = FileOps.createDirectories(media.biosFolder());
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.filter(BiosMedia::isNeeded).toList()) {
        FileOps.copy(file, modules.resolve(file.getFileName().toString()));
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot list " + source, e);
    }
  }

  /** Modules and their lists for the core image to load, and the MBR code for xorriso. */
  private static boolean isNeeded(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".mod") || name.endsWith(".lst") || name.equals("boot_hybrid.img");
  }
}
