package io.imagecustomizer.liveos;

import io.imagecustomizer.boot.Kernels;
import io.imagecustomizer.config.LoadedConfig;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.tar.TarGz;
import io.imagecustomizer.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The folder a PXE server serves: shim and grub at the top (the DHCP boot file is bootx64.efi), the
 * PXE grub.cfg, kernel and initrd under boot/, the bootstrap ISO the initrd downloads (when
 * bootstrapping), and the pxe.additionalFiles.
 */
final class PxeArtifacts {
  private PxeArtifacts() {}

  static void layout(Path workDir, LiveMedia media, LoadedConfig config, Path dir) {
    Path staging = workDir.resolve("staging");
    try {
      Files.createDirectories(dir.resolve("boot/grub2"));
      List<String> bootFiles = new ArrayList<>(List.of("initrd.img"));
      for (String kernel : Kernels.versions(staging.resolve("boot"))) {
        bootFiles.add(Kernels.fileName(kernel));
        bootFiles.add("initramfs-" + kernel + ".img");
      }
      for (String name : bootFiles) {
        Path file = staging.resolve("boot").resolve(name);
        if (Files.isRegularFile(file)) {
          Files.copy(file, dir.resolve("boot").resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      for (String efi : List.of("bootx64.efi", "grubx64.efi")) {
        Files.copy(
            staging.resolve(LiveOsIsoBuilder.EFI_BOOT).resolve(efi),
            dir.resolve(efi),
            StandardCopyOption.REPLACE_EXISTING);
      }
      Files.copy(
          workDir.resolve("grub-pxe.cfg"),
          dir.resolve("boot/grub2/grub.cfg"),
          StandardCopyOption.REPLACE_EXISTING);
      Path saved = dir.resolve(SavedConfig.PATH);
      Files.createDirectories(saved.getParent());
      Files.writeString(saved, SavedConfig.render(media.extraArgs()));
    } catch (IOException e) {
      throw new ImageCustomizerException(
          "cannot lay out the PXE artifacts in " + dir + ": " + e.getMessage(), null, e);
    }
    ImageRoot tree = new ImageRoot(dir);
    media.additionalFiles().forEach(file -> tree.add(file, config));
  }

  /** The folder as a .tar.gz whose entries are relative to it. */
  static void tar(Path dir, Path output) {
    try {
      TarGz.write(dir, output);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write " + output, e);
    }
  }
}
