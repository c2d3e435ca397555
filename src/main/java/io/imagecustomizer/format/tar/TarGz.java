package io.imagecustomizer.format.tar;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.jspecify.annotations.Nullable;

/**
 * A folder as a gzip-compressed POSIX tar archive. Its files are to be served (PXE), not installed:
 * they are all owned by root (0:0, as {@code tar --owner=0 --group=0}) and readable by all (0644,
 * folders 0755), so a server's own user reads them whoever unpacked them. The same folder gives the
 * same bytes: entries go in name order, dated to the second, under a gzip header without a time.
 */
public final class TarGz {
  private static final String ROOT = "root";

  private TarGz() {}

  /**
   * Writes every entry of {@code dir}, in name order, relative to it; symlinks stay links.
   *
   * @param sourceDate if given, no entry is dated later (reproducible-builds.org's clamping)
   */
  public static void write(Path dir, Path output, @Nullable Instant sourceDate) throws IOException {
    try (Stream<Path> walk = Files.walk(dir);
        OutputStream file = Files.newOutputStream(output);
        OutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(file, 1 << 20), 1 << 16);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Path path : walk.sorted().toList()) {
        tar.putArchiveEntry(entry(dir, path, sourceDate));
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
          try (InputStream in = Files.newInputStream(path)) {
            in.transferTo(tar);
          }
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }

  private static TarArchiveEntry entry(Path dir, Path path, @Nullable Instant sourceDate)
      throws IOException {
    String name = dir.equals(path) ? "." : dir.relativize(path).toString();
    TarArchiveEntry entry;
    if (Files.isSymbolicLink(path)) {
      entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
      entry.setLinkName(Files.readSymbolicLink(path).toString());
    } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      entry = new TarArchiveEntry(name + "/");
    } else {
      entry = new TarArchiveEntry(name);
      entry.setSize(Files.size(path));
    }
    entry.setIds(0, 0);
    entry.setNames(ROOT, ROOT);
    // whole seconds: a finer time would add a PAX header
    long seconds =
        Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant().getEpochSecond();
    if (sourceDate != null) {
      seconds = Math.min(seconds, sourceDate.getEpochSecond());
    }
    entry.setLastModifiedTime(FileTime.from(Instant.ofEpochSecond(seconds)));
    return entry;
  }
}
