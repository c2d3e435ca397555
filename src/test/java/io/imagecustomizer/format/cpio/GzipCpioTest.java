package io.imagecustomizer.format.cpio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
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

    GzipCpio.write(tree, archive);

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
}
