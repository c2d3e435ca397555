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
  private final MediaDir media;
  private final InitramfsType type;
  private final List<String> savedArgs;

  private IsoMedia(Path iso, Path dir, InitramfsType type, List<String> savedArgs) {
    this.iso = iso;
    this.media = new MediaDir(dir);
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
    MediaDir media = new MediaDir(dir);
    Path saved = media.savedConfig();
    if (!Files.isRegularFile(saved)) {
      throw new ImageCustomizerException(
          iso + " was not made by imagecustomizer: it has no /" + SavedConfig.PATH,
          "an ISO input must be a Live OS ISO that imagecustomizer (or the Azure Linux Image"
              + " Customizer) wrote; start from a disk image instead");
    }
    InitramfsType type =
        Files.isRegularFile(media.squashfs()) ? InitramfsType.BOOTSTRAP : InitramfsType.FULL_OS;
    require(iso, media, media.grubConfig());
    upperCaseEfiFolder(media);
    require(iso, media, media.shim());
    require(iso, media, media.grub());
    if (type == InitramfsType.FULL_OS) {
      require(iso, media, media.fullOsInitrd());
    }
    if (Kernels.versions(media.boot()).isEmpty()) {
      throw incomplete(iso, "boot/" + Kernels.fileName("<version>"));
    }
    String savedText;
    try {
      savedText = Files.readString(saved);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + saved, e);
    }
    List<String> args = SavedConfig.extraArgs(savedText, iso + ":/" + SavedConfig.PATH);
    LOG.info("{} is a {} Live OS; earlier runs added kernel arguments {}", iso, type, args);
    return new IsoMedia(iso, dir, type, args);
  }

  /** The folder holding the media's files. */
  public Path dir() {
    return media.root();
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
  public void unpackOs(ProcessRunner runner, LiveOsWorkDir work) {
    Path rootfs = work.rootfs();
    LOG.info("Unpacking the OS tree from {}", iso);
    if (type == InitramfsType.BOOTSTRAP) {
      Squashfs.unpack(runner, media.squashfs(), rootfs);
      FileOps.delete(media.squashfs());
    } else {
      FileOps.createDirectories(rootfs);
      GzipCpio.extract(runner, media.fullOsInitrd(), rootfs);
      FileOps.delete(media.fullOsInitrd());
    }
    List<String> kernels = Kernels.versions(media.boot());
    try {
      Files.createDirectories(rootfs.resolve("boot/grub2"));
      for (String kernel : kernels) {
        String name = Kernels.fileName(kernel);
        Files.copy(media.kernel(kernel), rootfs.resolve("boot").resolve(name));
      }
      Files.copy(media.grubConfig(), rootfs.resolve("boot/grub2/grub.cfg"));
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot restore /boot in " + rootfs, e);
    }
    // kdump files an earlier run put on the media (kdumpBootFiles: none) go where this run says
    KdumpFiles.hold(media.boot(), rootfs.resolve("boot"));
    // Rebuilt from the customized OS, which may have other modules or kernels; the kernels'
    // bootstrap initrds are held, with what they were built from, in case nothing of that changed.
    for (String kernel : kernels) {
      Path record = media.initrdInputs(kernel);
      if (type == InitramfsType.BOOTSTRAP
          && Files.exists(record)
          && Files.exists(media.initramfs(kernel))) {
        Path held = FileOps.createDirectories(work.inputInitrds());
        FileOps.move(media.initramfs(kernel), held.resolve(media.initramfs(kernel).getFileName()));
        FileOps.move(record, held.resolve(record.getFileName()));
      }
      FileOps.delete(record);
    }
    media.initramfsFiles().forEach(FileOps::delete);
  }

  /** Upstream's ISOs (and ours before) keep the EFI binaries in efi/boot; ours now in EFI/BOOT. */
  private static void upperCaseEfiFolder(MediaDir media) {
    Path lowerEfi = media.root().resolve("efi");
    Path lowerBoot = media.efi().resolve("boot");
    try {
      if (Files.isDirectory(lowerEfi)) {
        Files.move(lowerEfi, media.efi());
      }
      if (Files.isDirectory(lowerBoot)) {
        Files.move(lowerBoot, media.efiBoot());
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot rename the media's efi folder", e);
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

  private static void require(Path iso, MediaDir media, Path file) {
    if (!Files.isRegularFile(file)) {
      throw incomplete(iso, media.root().relativize(file).toString());
    }
  }

  private static ImageCustomizerException incomplete(Path iso, String path) {
    return new ImageCustomizerException(
        iso + " is not a complete imagecustomizer Live OS: it has no /" + path, REBUILD_HINT);
  }
}
