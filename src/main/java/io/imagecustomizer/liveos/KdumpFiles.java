package io.imagecustomizer.liveos;

import io.imagecustomizer.boot.Kernels;
import io.imagecustomizer.config.KdumpBootFiles;
import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code iso/pxe.kdumpBootFiles}: the kdump initrds in /boot ({@code initramfs-<version>kdump.img},
 * {@code initrd.img-<version>kdump.img}) and the kernels they go with. A Live OS empties the OS's
 * /boot, since the media boot their own kernels; as upstream, {@code keep} puts these files back
 * into the OS's /boot (closed to all but root) so kdump finds them at run time, {@code none} puts
 * them on the media's /boot instead, and without the field they are dropped with the rest.
 */
final class KdumpFiles {
  private KdumpFiles() {}

  /** Copies the kdump files of {@code boot} into {@code held}, out of the way of its clean-up. */
  static void hold(Path boot, Path held) {
    for (Path file : find(boot)) {
      copy(file, held.resolve(file.getFileName()));
    }
  }

  /** Puts the held files where {@code mode} says: the OS's /boot, the media's, or nowhere. */
  static void place(@Nullable KdumpBootFiles mode, Path held, Path osBoot, Path mediaBoot) {
    if (mode == null || !Files.isDirectory(held)) {
      return;
    }
    Path target = mode == KdumpBootFiles.KEEP ? osBoot : mediaBoot;
    try (Stream<Path> files = Files.list(held)) {
      for (Path file : files.toList()) {
        copy(file, target.resolve(file.getFileName()));
      }
      if (mode == KdumpBootFiles.KEEP) {
        Files.setPosixFilePermissions(osBoot, PosixFilePermissions.fromString("rwx------"));
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot place the kdump files held in " + held, e);
    }
  }

  /**
   * What {@link #place} does for {@code keep}, as mksquashfs pseudo definitions on a tree whose
   * /boot is left out of the squashfs: /boot closed to all but root, and each held file put in,
   * with its own mode, owner and time.
   *
   * @param osBoot the tree's /boot, whose owner the squashfs's /boot keeps
   */
  static List<String> keptInSquashfs(Path held, Path osBoot) {
    List<String> definitions = new ArrayList<>();
    if (!Files.isDirectory(held)) {
      return definitions;
    }
    try (Stream<Path> files = Files.list(held)) {
      definitions.add("boot m 700 " + owner(osBoot));
      for (Path file : files.sorted().toList()) {
        Map<String, Object> unix = Files.readAttributes(file, "unix:mode,lastModifiedTime");
        definitions.add(
            "boot/"
                + file.getFileName()
                + " F "
                + ((FileTime) unix.get("lastModifiedTime")).toInstant().getEpochSecond()
                + " "
                + Integer.toOctalString((Integer) unix.get("mode") & 07777)
                + " "
                + owner(file)
                + " cat "
                + quoted(file.toString()));
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read the kdump files held in " + held, e);
    }
    return definitions;
  }

  private static String owner(Path file) throws IOException {
    return Files.getAttribute(file, "unix:uid") + " " + Files.getAttribute(file, "unix:gid");
  }

  /** {@code text} as one word for /bin/sh, which runs a pseudo file's command. */
  private static String quoted(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  /** The kdump initrds of {@code boot}, each with the kernel of its version. */
  static List<Path> find(Path boot) {
    List<Path> found = new ArrayList<>();
    for (String version : Kernels.versions(boot)) {
      for (String prefix : List.of("initramfs-", "initrd.img-")) {
        Path initrd = boot.resolve(prefix + version + "kdump.img");
        if (Files.isRegularFile(initrd)) {
          found.add(initrd);
          Path kernel = boot.resolve(Kernels.fileName(version));
          if (!found.contains(kernel)) {
            found.add(kernel);
          }
        }
      }
    }
    return found;
  }

  private static void copy(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot copy " + from, e);
    }
  }
}
