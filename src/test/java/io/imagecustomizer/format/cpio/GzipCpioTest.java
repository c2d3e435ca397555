package io.imagecustomizer.format.cpio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GzipCpioTest {
  @TempDir Path dir;

  @Test
  void keepsNamesModesAndLinksInNameOrder() throws IOException {
    Path tree = dir.resolve("tree");
    Path etc = Files.createDirectories(tree.resolve("etc"));
    Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(etc.resolve("hostname"), "live\n");
    Files.setPosixFilePermissions(
        etc.resolve("hostname"), PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(tree.resolve("init"), Path.of("/lib/systemd/systemd"));
    Path archive = dir.resolve("initrd.img");

    GzipCpio.write(tree, archive, null);

    Map<String, String> entries = new LinkedHashMap<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive));
        CpioArchiveInputStream cpio = new CpioArchiveInputStream(in)) {
      for (CpioArchiveEntry e = cpio.getNextCPIOEntry(); e != null; e = cpio.getNextCPIOEntry()) {
        String content = new String(cpio.readAllBytes(), StandardCharsets.UTF_8);
        entries.put(e.getName(), Long.toOctalString(e.getMode()) + " " + content);
      }
    }
    assertThat(entries)
        .containsExactly(
            Map.entry(".", "40755 "),
            Map.entry("etc", "40755 "),
            Map.entry("etc/hostname", "100600 live\n"),
            Map.entry("init", "120777 /lib/systemd/systemd"));
  }

  @Test
  void theSameTreeMadeAtAnotherTimeGivesTheSameBytesWithASourceDate() throws IOException {
    Instant sourceDate = Instant.ofEpochSecond(1_700_000_000);
    Path first = osTree("first", Instant.now());
    Path second = osTree("second", Instant.now().plusSeconds(3600));

    GzipCpio.write(first, dir.resolve("first.img"), sourceDate);
    GzipCpio.write(second, dir.resolve("second.img"), sourceDate);

    assertThat(dir.resolve("second.img")).hasSameBinaryContentAs(dir.resolve("first.img"));
    Map<String, Long> times = new LinkedHashMap<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("first.img")));
        CpioArchiveInputStream cpio = new CpioArchiveInputStream(in)) {
      for (CpioArchiveEntry e = cpio.getNextCPIOEntry(); e != null; e = cpio.getNextCPIOEntry()) {
        times.put(e.getName(), e.getTime());
      }
    }
    assertThat(times)
        .containsEntry("etc/hostname", sourceDate.getEpochSecond())
        .containsEntry("usr/old", sourceDate.getEpochSecond() - 86_400);
  }

  /** An OS-like tree, its files dated {@code time} but for one older than the source date. */
  private Path osTree(String name, Instant time) throws IOException {
    Path tree = Files.createDirectories(dir.resolve(name));
    Path etc = Files.createDirectories(tree.resolve("etc"));
    Path usr = Files.createDirectories(tree.resolve("usr"));
    Files.writeString(etc.resolve("hostname"), "live\n");
    Files.writeString(usr.resolve("old"), "from the base image\n");
    Files.setLastModifiedTime(usr.resolve("old"), FileTime.fromMillis(1_699_913_600_000L));
    for (Path path : List.of(etc.resolve("hostname"), etc, usr, tree)) {
      Files.setLastModifiedTime(path, FileTime.from(time));
    }
    return tree;
  }
}
