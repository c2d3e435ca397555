package io.imagecustomizer.image.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFormatTest {
  @Test
  void theNameSaysAFormatOnlyForKnownExtensions() {
    assertThat(DiskFormat.named(Path.of("/a/b.QCOW2"))).isEqualTo(DiskFormat.QCOW2);
    assertThat(DiskFormat.named(Path.of("b.vhdx"))).isEqualTo(DiskFormat.VHDX);
    assertThat(DiskFormat.named(Path.of("b.img"))).isNull();
    assertThat(DiskFormat.named(Path.of("disk"))).isNull();
  }

  @Test
  void randomBytesNamedQcow2AreRawByContent(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("x.qcow2"), new byte[4096]);

    assertThat(DiskFormat.detect(file)).isEqualTo(DiskFormat.RAW);
  }

  @Test
  void qemuImgInfoNumbers() {
    String json = "{\n    \"virtual-size\": 67108864,\n    \"actual-size\": 200704\n}";

    assertThat(QemuImg.number(json, "virtual-size")).isEqualTo(67108864);
    assertThat(QemuImg.number(json, "actual-size")).isEqualTo(200704);
    assertThat(QemuImg.number(json, "cluster-size")).isEqualTo(-1);
  }
}
