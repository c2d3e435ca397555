package io.imagecustomizer.liveos;

import io.imagecustomizer.boot.Kernels;
import io.imagecustomizer.config.LoadedConfig;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

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
    try (Stream<Path> walk = Files.walk(dir);
        OutputStream file = Files.newOutputStream(output);
        OutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(file, 1 << 20), 1 << 16);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Path path : walk.sorted().toList()) {
        String name = dir.equals(path) ? "." : dir.relativize(path).toString();
        TarArchiveEntry entry;
        if (Files.isSymbolicLink(path)) {
          entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
          entry.setLinkName(Files.readSymbolicLink(path).toString());
        } else {
          entry = new TarArchiveEntry(path.toFile(), name);
        }
        tar.putArchiveEntry(entry);
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
          try (InputStream in = Files.newInputStream(path)) {
            in.transferTo(tar);
          }
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      throw new ImageCustomizerException("cannot write " + output + ": " + e.getMessage(), null, e);
    }
  }
}
