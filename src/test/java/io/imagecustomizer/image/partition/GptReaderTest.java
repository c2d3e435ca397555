package io.imagecustomizer.image.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.SystemProcessRunner;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads tables that sfdisk wrote into a plain file (no root needed). */
class GptReaderTest {
  @TempDir Path dir;
  private Path disk;

  @BeforeEach
  void partitionedFile() throws IOException {
    disk = dir.resolve("disk.raw");
    try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
      file.setLength(64L * 1024 * 1024);
    }
    String script =
        "label: gpt\n"
            + "size=8MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=\"esp\","
            + " uuid=11111111-2222-3333-4444-555555555555\n"
            + "type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name=\"rootfs\"\n";
    new SystemProcessRunner()
        .run(
            Command.of("sfdisk", "-q", disk.toString())
                .withStdin(script.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void readsWhatSfdiskWrote() {
    List<Partition> partitions = GptReader.read(disk);

    assertThat(partitions).hasSize(2);
    Partition esp = partitions.get(0);
    assertThat(esp.number()).isEqualTo(1);
    assertThat(esp.offset()).isEqualTo(1024 * 1024);
    assertThat(esp.size()).isEqualTo(8 * 1024 * 1024);
    assertThat(esp.isEsp()).isTrue();
    assertThat(esp.uuid()).isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(esp.name()).isEqualTo("esp");
    Partition root = partitions.get(1);
    assertThat(root.typeGuid()).isEqualTo("4f68bce3-e8cd-4db1-96e7-fbcaf984b709");
    assertThat(root.offset()).isEqualTo(9 * 1024 * 1024);
    assertThat(root.name()).isEqualTo("rootfs");
  }

  @Test
  void damagedEntriesAreAnErrorNotAGuess() throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
      file.seek(2 * 512 + 60);
      file.write('X');
    }

    assertThatThrownBy(() -> GptReader.read(disk))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining("entries checksum is wrong");
  }

  @Test
  void fileWithoutGptSaysSo() throws IOException {
    Path blank = Files.write(dir.resolve("blank.raw"), new byte[4096]);

    assertThatThrownBy(() -> GptReader.read(blank))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining("has no GPT partition table");
  }
}
