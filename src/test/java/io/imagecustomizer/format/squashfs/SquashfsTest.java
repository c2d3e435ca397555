package io.imagecustomizer.format.squashfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.format.RecordingRunner;
import io.imagecustomizer.process.Command;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SquashfsTest {
  @Test
  void aSourceDateReachesMksquashfsAsItsVariableNotAsTimeFlags() {
    RecordingRunner runner = new RecordingRunner("");

    Squashfs.pack(
        runner,
        new Squashfs.Source(Path.of("/w/rootfs"), List.of(), List.of()),
        Path.of("/w/rootfs.img"),
        List.of("-comp", "zstd"),
        2,
        512,
        Instant.ofEpochSecond(42));

    Command command = runner.commands().get(0);
    // mksquashfs 4.5 refuses -mkfs-time and -all-time beside SOURCE_DATE_EPOCH
    assertThat(command.argv()).doesNotContain("-mkfs-time", "-all-time", "-e");
    assertThat(command.environment())
        .containsExactly(java.util.Map.entry("SOURCE_DATE_EPOCH", "42"));
  }

  @Test
  void pseudoDefinitionsAreEachOneArgumentAndExclusionsComeLast() {
    RecordingRunner runner = new RecordingRunner("");

    Squashfs.pack(
        runner,
        new Squashfs.Source(
            Path.of("/w/rootfs"),
            List.of("boot/*", "etc/fstab"),
            List.of("boot m 700 0 0", "boot/k F 1 644 0 0 cat '/w/k'")),
        Path.of("/w/rootfs.img"),
        List.of("-comp", "zstd", "-Xcompression-level", "6"),
        1,
        512,
        null);

    assertThat(runner.commands().get(0).argv())
        .containsSubsequence("-comp", "zstd", "-Xcompression-level", "6")
        .containsSubsequence("-processors", "1", "-mem", "512M")
        .containsSubsequence("-p", "boot m 700 0 0", "-p", "boot/k F 1 644 0 0 cat '/w/k'")
        .endsWith("-wildcards", "-e", "boot/*", "etc/fstab");
  }
}
