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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The folder a PXE server serves: shim and grub at the top (the DHCP boot file is bootx64.efi), the
 * PXE grub.cfg, kernel and initrd under boot/, the bootstrap ISO the initrd downloads (when
 * bootstrapping), and the pxe.additionalFiles.
 */
final class PxeArtifacts {
  private PxeArtifacts() {}

  static void layout(LiveOsWorkDir work, LiveMedia media, LoadedConfig config, Path dir) {
    MediaDir staged = work.media();
    List<Path> bootFiles = new ArrayList<>(List.of(staged.fullOsInitrd()));
    Kernels.versions(staged.boot()).forEach(kernel -> bootFiles.add(staged.kernel(kernel)));
    bootFiles.addAll(staged.initramfsFiles());
    try {
      Files.createDirectories(dir.resolve("boot/grub2"));
      for (Path file : bootFiles) {
        if (Files.isRegularFile(file)) {
          Files.copy(
              file,
              dir.resolve("boot").resolve(file.getFileName()),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
      for (Path efi : List.of(staged.shim(), staged.grub())) {
        Files.copy(efi, dir.resolve(efi.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.copy(
          work.pxeGrubConfig(),
          dir.resolve("boot/grub2/grub.cfg"),
          StandardCopyOption.REPLACE_EXISTING);
      Path saved = dir.resolve(SavedConfig.PATH);
      Files.createDirectories(saved.getParent());
      Files.writeString(saved, SavedConfig.render(media.extraArgs()));
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot lay out the PXE artifacts in " + dir, e);
    }
    ImageRoot tree = new ImageRoot(dir);
    media.additionalFiles().forEach(file -> tree.add(file, config));
  }

  /**
   * The folder as a .tar.gz whose entries are relative to it, dated no later than {@code
   * sourceDate}.
   */
  static void tar(Path dir, Path output, @Nullable Instant sourceDate) {
    try {
      TarGz.write(dir, output, sourceDate);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write " + output, e);
    }
  }
}
