package io.imagecustomizer.liveos;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * The whole OS tree as a gzip-compressed newc CPIO archive, the format the kernel unpacks into its
 * initial RAM filesystem. Owners, modes, symlinks and device nodes are kept; extended attributes
 * cannot be (newc has no place for them), which is why SELinux cannot be on.
 */
final class FullOsInitrd {
  private FullOsInitrd() {}

  static void write(Path tree, Path output) {
    try (Stream<Path> walk = Files.walk(tree);
        OutputStream file = Files.newOutputStream(output);
        OutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(file, 1 << 20), 1 << 16);
        CpioArchiveOutputStream cpio =
            new CpioArchiveOutputStream(gzip, CpioConstants.FORMAT_NEW)) {
      List<Path> paths = walk.sorted().toList();
      for (Path path : paths) {
        add(cpio, tree, path);
      }
      cpio.finish();
    } catch (IOException e) {
      throw new ImageCustomizerException(
          "cannot write the full-OS initrd " + output + ": " + e.getMessage(), null, e);
    }
  }

  private static void add(CpioArchiveOutputStream cpio, Path tree, Path path) throws IOException {
    Map<String, Object> unix = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
    String name = tree.equals(path) ? "." : tree.relativize(path).toString();
    CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name);
    int mode = (Integer) unix.get("mode");
    entry.setMode(mode);
    entry.setUID((Integer) unix.get("uid"));
    entry.setGID((Integer) unix.get("gid"));
    entry.setNumberOfLinks(Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? 2 : 1);
    entry.setTime(
        ((java.nio.file.attribute.FileTime) unix.get("lastModifiedTime")).toMillis() / 1000);
    long rdev = (Long) unix.get("rdev");
    entry.setRemoteDeviceMaj((rdev >> 8) & 0xfff);
    entry.setRemoteDeviceMin((rdev & 0xff) | ((rdev >> 12) & 0xfff00));
    byte[] linkTarget = null;
    if (Files.isSymbolicLink(path)) {
      linkTarget = Files.readSymbolicLink(path).toString().getBytes(StandardCharsets.UTF_8);
      entry.setSize(linkTarget.length);
    } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      entry.setSize(Files.size(path));
    }
    cpio.putArchiveEntry(entry);
    if (linkTarget != null) {
      cpio.write(linkTarget);
    } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      try (InputStream in = Files.newInputStream(path)) {
        in.transferTo(cpio);
      }
    }
    cpio.closeArchiveEntry();
  }
}
