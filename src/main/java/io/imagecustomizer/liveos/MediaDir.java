package io.imagecustomizer.liveos;

import io.imagecustomizer.boot.GrubEfiImage;
import io.imagecustomizer.boot.Kernels;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.iso9660.Xorriso;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files of Live OS media where they sit on the ISO, under {@code root}: the staging folder of a
 * build, or the folder an ISO input is extracted to.
 */
record MediaDir(Path root) {
  /** The FAT image El Torito boots, relative to the root, as xorriso wants it. */
  static final String EFI_IMAGE = "boot/grub2/efiboot.img";

  /** The folder of grub's files on the media, its {@code prefix}. */
  static final String GRUB_FOLDER = "boot/grub2";

  /** The grub.cfg grub reads from the media ({@code prefix=($root)/boot/grub2}). */
  static final String GRUB_CONFIG = GRUB_FOLDER + "/grub.cfg";

  /** The El Torito image BIOS boots, relative to the root, as xorriso wants it. */
  static final String BIOS_IMAGE = GRUB_FOLDER + "/i386-pc/eltorito.img";

  private static final String INITRAMFS = "initramfs-";

  Path grubConfig() {
    return root.resolve(GRUB_CONFIG);
  }

  Path efiImage() {
    return root.resolve(EFI_IMAGE);
  }

  /** grub's BIOS core image, modules and MBR code, where the core image loads modules from. */
  Path biosFolder() {
    return root.resolve(BIOS_IMAGE).getParent();
  }

  Path biosImage() {
    return root.resolve(BIOS_IMAGE);
  }

  /**
   * What xorriso needs to make the ISO boot on BIOS too, when the media have it (an ISO input made
   * from an image without grub's BIOS modules does not).
   */
  Optional<Xorriso.BiosBoot> biosBoot() {
    Path mbr = biosFolder().resolve("boot_hybrid.img");
    return Files.isRegularFile(biosImage()) && Files.isRegularFile(mbr)
        ? Optional.of(new Xorriso.BiosBoot(BIOS_IMAGE, mbr))
        : Optional.empty();
  }

  /** The EFI folder: {@link #efiBoot()} and the distributions' vendor folders. */
  Path efi() {
    return root.resolve("EFI");
  }

  /** The removable-media boot path firmware looks in. */
  Path efiBoot() {
    return efi().resolve("BOOT");
  }

  /** The shim firmware starts; it loads {@link #grub()} from the same folder. */
  Path shim() {
    return efiBoot().resolve("bootx64.efi");
  }

  Path grub() {
    return efiBoot().resolve("grubx64.efi");
  }

  /**
   * Where the media's grub, by the prefix built into it, looks for a grub.cfg other than the
   * media's main one and the one beside it in EFI/BOOT: that grub.cfg must redirect to the main
   * one.
   */
  Optional<Path> grubPrefixConfig() {
    return GrubEfiImage.read(grub())
        .folder()
        .filter(folder -> !folder.equals("/"))
        .filter(folder -> !folder.equalsIgnoreCase("/" + GRUB_FOLDER))
        .filter(folder -> !folder.equalsIgnoreCase("/EFI/BOOT"))
        .map(folder -> root.resolve(folder.substring(1)).resolve("grub.cfg"));
  }

  Path boot() {
    return root.resolve("boot");
  }

  Path kernel(String version) {
    return boot().resolve(Kernels.fileName(version));
  }

  /** The bootstrap initrd of a kernel, which mounts {@link #squashfs()}. */
  Path initramfs(String version) {
    return boot().resolve(initramfsName(version));
  }

  static String initramfsName(String version) {
    return INITRAMFS + version + ".img";
  }

  /**
   * Every bootstrap initrd on the media: each kernel's {@link #initramfs}, and any other {@code
   * initramfs-*} an ISO input brings (upstream's kdump ones).
   */
  List<Path> initramfsFiles() {
    if (!Files.isDirectory(boot())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(boot())) {
      return files.filter(p -> p.getFileName().toString().startsWith(INITRAMFS)).sorted().toList();
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot list " + boot(), e);
    }
  }

  /** The initrd that is the whole OS (full-os media). */
  Path fullOsInitrd() {
    return boot().resolve("initrd.img");
  }

  /** The OS tree of bootstrap media. */
  Path squashfs() {
    return root.resolve("liveos/rootfs.img");
  }

  Path savedConfig() {
    return root.resolve(SavedConfig.PATH);
  }

  /**
   * The fingerprint of what a kernel's bootstrap initrd was built from ({@link InitrdInputs}),
   * beside the saved config, so that a run taking this ISO as input can tell whether to reuse it.
   */
  Path initrdInputs(String version) {
    return savedConfig().resolveSibling("initrd-inputs-" + version + ".sha256");
  }
}
