package io.imagecustomizer.liveos;

import io.imagecustomizer.boot.Kernels;
import io.imagecustomizer.config.InitramfsType;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.cpio.GzipCpio;
import io.imagecustomizer.format.iso9660.PrimaryVolume;
import io.imagecustomizer.format.iso9660.Xorriso;
import io.imagecustomizer.format.squashfs.Squashfs;
import io.imagecustomizer.process.ProcessRunner;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Live OS ISO this tool made, copied out into a folder (the kernel here cannot mount iso9660, so
 * xorriso reads it). The folder is laid out as the media was staged: a later run rewrites it in
 * place and writes it back as an ISO.
 */
public final class IsoMedia {
  private static final Logger LOG = LoggerFactory.getLogger(IsoMedia.class);
  private static final String REBUILD_HINT =
      "give the disk image the ISO was made from, or an ISO written by imagecustomizer";

  private final Path iso;
  private final Path dir;
  private final InitramfsType type;
  private final List<String> savedArgs;

  private IsoMedia(Path iso, Path dir, InitramfsType type, List<String> savedArgs) {
    this.iso = iso;
    this.dir = dir;
    this.type = type;
    this.savedArgs = List.copyOf(savedArgs);
  }

  /**
   * Checks that {@code iso} is a complete ISO 9660 image written by this tool and copies its files
   * into {@code dir}.
   */
  public static IsoMedia extract(ProcessRunner runner, Path iso, Path dir) {
    checkVolume(iso);
    LOG.info("Reading the Live OS ISO {}", iso);
    Xorriso.extract(runner, iso, dir);
    Path saved = dir.resolve(SavedConfig.PATH);
    if (!Files.isRegularFile(saved)) {
      throw new ImageCustomizerException(
          iso + " was not made by imagecustomizer: it has no /" + SavedConfig.PATH,
          "an ISO input must be a Live OS ISO that imagecustomizer (or the Azure Linux Image"
              + " Customizer) wrote; start from a disk image instead");
    }
    InitramfsType type =
        Files.isRegularFile(dir.resolve("liveos/rootfs.img"))
            ? InitramfsType.BOOTSTRAP
            : InitramfsType.FULL_OS;
    require(iso, dir, "boot/grub2/grub.cfg");
    upperCaseEfiFolder(dir);
    require(iso, dir, LiveOsIsoBuilder.EFI_BOOT + "/bootx64.efi");
    require(iso, dir, LiveOsIsoBuilder.EFI_BOOT + "/grubx64.efi");
    if (type == InitramfsType.FULL_OS) {
      require(iso, dir, "boot/initrd.img");
    }
    if (Kernels.versions(dir.resolve("boot")).isEmpty()) {
      throw incomplete(iso, "boot/" + Kernels.fileName("<version>"));
    }
    String savedText;
    try {
      savedText = Files.readString(saved);
    } catch (IOException e) {
      throw new ImageCustomizerException("cannot read " + saved + ": " + e.getMessage());
    }
    List<String> args = SavedConfig.extraArgs(savedText, iso + ":/" + SavedConfig.PATH);
    LOG.info("{} is a {} Live OS; earlier runs added kernel arguments {}", iso, type, args);
    return new IsoMedia(iso, dir, type, args);
  }

  /** The folder holding the media's files. */
  public Path dir() {
    return dir;
  }

  /** How the media boots: a squashfs on it means bootstrap, else the initrd is the whole OS. */
  public InitramfsType type() {
    return type;
  }

  /** The extra kernel arguments earlier runs asked for, oldest first. */
  public List<String> savedArgs() {
    return savedArgs;
  }

  /**
   * Unpacks the OS into {@code rootfs} and puts back what making the Live OS took out of it: the
   * kernels and the main grub.cfg under /boot. The media keeps only what the next ISO reuses as is.
   */
  public void unpackOs(ProcessRunner runner, Path rootfs) {
    LOG.info("Unpacking the OS tree from {}", iso);
    if (type == InitramfsType.BOOTSTRAP) {
      Path squashfs = dir.resolve("liveos/rootfs.img");
      Squashfs.unpack(runner, squashfs, rootfs);
      LiveOsIsoBuilder.delete(squashfs);
    } else {
      Path initrd = dir.resolve("boot/initrd.img");
      LiveOsIsoBuilder.createDirectories(rootfs);
      GzipCpio.extract(runner, initrd, rootfs);
      LiveOsIsoBuilder.delete(initrd);
    }
    try {
      Files.createDirectories(rootfs.resolve("boot/grub2"));
      for (String kernel : Kernels.versions(dir.resolve("boot"))) {
        String name = Kernels.fileName(kernel);
        Files.copy(dir.resolve("boot").resolve(name), rootfs.resolve("boot").resolve(name));
      }
      Files.copy(dir.resolve("boot/grub2/grub.cfg"), rootfs.resolve("boot/grub2/grub.cfg"));
      try (Stream<Path> boot = Files.list(dir.resolve("boot"))) {
        for (Path file : boot.toList()) {
          if (file.getFileName().toString().startsWith("initramfs-")) {
            LiveOsIsoBuilder.delete(file);
          }
        }
      }
    } catch (IOException e) {
      throw new ImageCustomizerException(
          "cannot restore /boot in " + rootfs + ": " + e.getMessage(), null, e);
    }
  }

  /** Upstream's ISOs (and ours before) keep the EFI binaries in efi/boot; ours now in EFI/BOOT. */
  private static void upperCaseEfiFolder(Path dir) {
    try {
      if (Files.isDirectory(dir.resolve("efi"))) {
        Files.move(dir.resolve("efi"), dir.resolve("EFI"));
      }
      if (Files.isDirectory(dir.resolve("EFI/boot"))) {
        Files.move(dir.resolve("EFI/boot"), dir.resolve(LiveOsIsoBuilder.EFI_BOOT));
      }
    } catch (IOException e) {
      throw new ImageCustomizerException("cannot rename the media's efi folder: " + e);
    }
  }

  /**
   * The primary volume descriptor must be there, and the file must be as long as the volume it
   * declares: a download cut short is caught here rather than as a puzzling failure later.
   */
  private static void checkVolume(Path iso) {
    try (FileChannel channel = FileChannel.open(iso, StandardOpenOption.READ)) {
      long declared =
          PrimaryVolume.read(channel)
              .orElseThrow(
                  () ->
                      new ImageCustomizerException(
                          iso + " is not an ISO 9660 image (no primary volume descriptor)",
                          REBUILD_HINT))
              .bytes();
      if (channel.size() < declared) {
        throw new ImageCustomizerException(
            iso
                + " is truncated: the volume declares "
                + declared
                + " bytes but the file has "
                + channel.size(),
            "copy or download the ISO again, and compare its checksum");
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + iso, e);
    }
  }

  private static void require(Path iso, Path dir, String path) {
    if (!Files.isRegularFile(dir.resolve(path))) {
      throw incomplete(iso, path);
    }
  }

  private static ImageCustomizerException incomplete(Path iso, String path) {
    return new ImageCustomizerException(
        iso + " is not a complete imagecustomizer Live OS: it has no /" + path, REBUILD_HINT);
  }
}
