package io.imagecustomizer.format.squashfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.format.RecordingRunner;
import io.imagecustomizer.process.Command;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SquashfsTest {
  @Test
  void aSourceDateReachesMksquashfsAsItsVariableNotAsTimeFlags() {
    RecordingRunner runner = new RecordingRunner("");

    Squashfs.pack(
        runner, Path.of("/w/rootfs"), Path.of("/w/rootfs.img"), "zstd", Instant.ofEpochSecond(42));

    Command command = runner.commands().get(0);
    // mksquashfs 4.5 refuses -mkfs-time and -all-time beside SOURCE_DATE_EPOCH
    assertThat(command.argv()).doesNotContain("-mkfs-time", "-all-time");
    assertThat(command.environment())
        .containsExactly(java.util.Map.entry("SOURCE_DATE_EPOCH", "42"));
  }
}
