package io.imagecustomizer.format.tar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzTest {
  private static final Instant SOURCE_DATE = Instant.ofEpochSecond(1_700_000_000);

  @TempDir Path dir;

  @Test
  void theSameFilesMadeAtAnotherTimeGiveTheSameBytesWithASourceDate() throws IOException {
    Path first = tree("first", Instant.now());
    Path second = tree("second", Instant.now().plusSeconds(3600));

    TarGz.write(first, dir.resolve("first.tar.gz"), SOURCE_DATE);
    TarGz.write(second, dir.resolve("second.tar.gz"), SOURCE_DATE);

    assertThat(dir.resolve("second.tar.gz")).hasSameBinaryContentAs(dir.resolve("first.tar.gz"));
  }

  @Test
  void entriesGoInNameOrderOwnedByRootReadableByAllAndClampedToTheSourceDate() throws IOException {
    Path tree = tree("tree", Instant.now());
    Path old = tree.resolve("boot/old.txt");
    Files.writeString(old, "older than the source date\n");
    Files.setLastModifiedTime(old, FileTime.from(SOURCE_DATE.minusSeconds(86_400)));

    TarGz.write(tree, dir.resolve("out.tar.gz"), SOURCE_DATE);

    List<String> entries = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("out.tar.gz")));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        entries.add(
            String.join(
                " ",
                e.getName(),
                Integer.toOctalString(e.getMode() & 07777),
                e.getUserId() + ":" + e.getGroupId(),
                e.getUserName() + ":" + e.getGroupName(),
                Long.toString(e.getLastModifiedTime().toInstant().getEpochSecond()),
                e.isSymbolicLink() ? e.getLinkName() : ""));
      }
    }
    String clamped = Long.toString(SOURCE_DATE.getEpochSecond());
    String older = Long.toString(SOURCE_DATE.getEpochSecond() - 86_400);
    String longName = "boot/" + "k".repeat(120);
    assertThat(entries)
        .containsExactly(
            "./ 755 0:0 root:root " + clamped + " ",
            "boot/ 755 0:0 root:root " + clamped + " ",
            longName + " 644 0:0 root:root " + clamped + " ",
            "boot/old.txt 644 0:0 root:root " + older + " ",
            "bootx64.efi 644 0:0 root:root " + clamped + " ",
            "grubx64.efi 644 0:0 root:root " + clamped + " bootx64.efi");
  }

  /** A PXE-like folder, its files dated {@code time}; one name is too long for a plain header. */
  private Path tree(String name, Instant time) throws IOException {
    Path root = Files.createDirectories(dir.resolve(name));
    Path boot = Files.createDirectories(root.resolve("boot"));
    Files.writeString(boot.resolve("k".repeat(120)), "kernel\n");
    Path efi = Files.writeString(root.resolve("bootx64.efi"), "shim\n");
    Files.setPosixFilePermissions(efi, PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(root.resolve("grubx64.efi"), Path.of("bootx64.efi"));
    for (Path path : List.of(boot.resolve("k".repeat(120)), efi, boot, root)) {
      Files.setPosixFilePermissions(
          path,
          path.equals(efi)
              ? PosixFilePermissions.fromString("rw-------")
              : Files.isDirectory(path)
                  ? PosixFilePermissions.fromString("rwxr-xr-x")
                  : PosixFilePermissions.fromString("rw-r--r--"));
      Files.setLastModifiedTime(path, FileTime.from(time));
    }
    return root;
  }
}
