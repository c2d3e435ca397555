package io.imagecustomizer.format.cpio;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.jspecify.annotations.Nullable;

/**
 * A folder as a gzip-compressed newc CPIO archive, the format the kernel unpacks into its initial
 * RAM filesystem. Owners, modes, symlinks and device nodes are kept; extended attributes cannot be
 * (newc has no place for them). The same tree gives the same bytes: entries go in name order, with
 * no inode or device numbers of the host, under a gzip header without a time.
 */
public final class GzipCpio {
  private GzipCpio() {}

  /**
   * Writes every entry of {@code tree}, in name order, relative to it.
   *
   * @param sourceDate if given, no entry is dated later (reproducible-builds.org's clamping)
   */
  public static void write(Path tree, Path output, @Nullable Instant sourceDate)
      throws IOException {
    try (Stream<Path> walk = Files.walk(tree);
        OutputStream file = Files.newOutputStream(output);
        OutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(file, 1 << 20), 1 << 16);
        CpioArchiveOutputStream cpio =
            new CpioArchiveOutputStream(gzip, CpioConstants.FORMAT_NEW)) {
      for (Path path : walk.sorted().toList()) {
        add(cpio, tree, path, sourceDate);
      }
      cpio.finish();
    }
  }

  /**
   * Unpacks {@code archive} into {@code dir} with cpio: run as root, it restores owners and device
   * nodes, which a Java reader could not create.
   */
  public static void extract(ProcessRunner runner, Path archive, Path dir) {
    runner.run(
        Command.of(
            "bash",
            "-o",
            "pipefail",
            "-c",
            "gzip -dc \"$1\" | cpio -idmu --quiet --no-absolute-filenames -D \"$2\"",
            "unpack-initrd",
            archive.toString(),
            dir.toString()));
  }

  private static void add(
      CpioArchiveOutputStream cpio, Path tree, Path path, @Nullable Instant sourceDate)
      throws IOException {
    Map<String, Object> unix = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
    String name = tree.equals(path) ? "." : tree.relativize(path).toString();
    CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name);
    int mode = (Integer) unix.get("mode");
    entry.setMode(mode);
    entry.setUID((Integer) unix.get("uid"));
    entry.setGID((Integer) unix.get("gid"));
    entry.setNumberOfLinks(Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? 2 : 1);
    long seconds = ((FileTime) unix.get("lastModifiedTime")).toMillis() / 1000;
    entry.setTime(sourceDate == null ? seconds : Math.min(seconds, sourceDate.getEpochSecond()));
    // Linux's dev_t: the major in bits 8-19, the minor in bits 0-7 and 20-31
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
