package io.imagecustomizer.format.iso9660;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrimaryVolumeTest {
  @TempDir Path dir;

  @Test
  void theVolumeSizeIsBlocksTimesBlockSize() throws IOException {
    ByteBuffer image = ByteBuffer.allocate(17 * 2048).order(ByteOrder.LITTLE_ENDIAN);
    image.put(16 * 2048, (byte) 1);
    image.put(16 * 2048 + 1, "CD001".getBytes(StandardCharsets.ISO_8859_1));
    image.putInt(16 * 2048 + 80, 300);
    image.putShort(16 * 2048 + 128, (short) 2048);

    assertThat(read(image.array())).contains(new PrimaryVolume(300L * 2048));
  }

  @Test
  void anythingElseHasNone() throws IOException {
    byte[] noMagic = new byte[17 * 2048];
    noMagic[16 * 2048] = 1;

    assertThat(read(noMagic)).isEmpty();
    assertThat(read(new byte[100])).as("shorter than the descriptor").isEmpty();
  }

  private Optional<PrimaryVolume> read(byte[] content) throws IOException {
    Path file = Files.write(dir.resolve("image.iso"), content);
    try (FileChannel channel = FileChannel.open(file)) {
      return PrimaryVolume.read(channel);
    }
  }
}
