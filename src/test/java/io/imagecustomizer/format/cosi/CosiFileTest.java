package io.imagecustomizer.format.cosi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CosiFileTest {
  @TempDir Path dir;

  @Test
  void metadataComesFirstThenTheImagesReadOnlyWithoutACommonRoot() throws IOException {
    Path image = Files.writeString(dir.resolve("part2.rawzst"), "compressed bytes");
    CosiMetadata.ImageFile described = CosiFile.describe(image, "part2.rawzst", 1024);
    CosiMetadata metadata =
        new CosiMetadata(
            CosiMetadata.VERSION,
            "x86_64",
            "ID=azurelinux\n",
            List.of(new CosiMetadata.FileSystem(described, "/", "ext4", "1234", "root-amd64")),
            new CosiMetadata.Bootloader("grub"),
            List.of(new CosiMetadata.OsPackage("bash", "5.2", "1", "x86_64")),
            "0f2c8f4e-4f4b-4b84-9a63-0b5cbb1c0b0f");
    Path cosi = dir.resolve("out.cosi");

    CosiFile.write(cosi, metadata, Map.of(described.path(), image));

    List<String> names = new ArrayList<>();
    String json = null;
    try (InputStream in = Files.newInputStream(cosi);
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        names.add(entry.getName());
        assertThat(entry.getMode() & 0777).as(entry.getName()).isEqualTo(0400);
        if (entry.getName().equals(CosiFile.METADATA)) {
          json = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    assertThat(names).containsExactly("metadata.json", "images/part2.rawzst");
    assertThat(json)
        .contains("\"version\" : \"1.1\"", "\"mountPoint\" : \"/\"", "\"sha384\" : \"")
        .contains("\"compressedSize\" : 16", "\"uncompressedSize\" : 1024");
    assertThat(described.sha384()).hasSize(96);
  }
}
