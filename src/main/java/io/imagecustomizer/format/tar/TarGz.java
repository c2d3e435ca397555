package io.imagecustomizer.format.tar;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** A folder as a gzip-compressed POSIX tar archive. */
public final class TarGz {
  private TarGz() {}

  /** Writes every entry of {@code dir}, in name order, relative to it; symlinks stay links. */
  public static void write(Path dir, Path output) throws IOException {
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
    }
  }
}
