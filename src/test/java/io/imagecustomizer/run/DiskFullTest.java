package io.imagecustomizer.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessFailedException;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DiskFullTest {
  private static final Path BUILD = Path.of("/srv/build");

  @Test
  void aFileNamedInTheErrorLineUnderTheBuildDirMeansTheBuildDir() {
    ProcessFailedException cp =
        new ProcessFailedException(
            Command.of("cp", "-a", "/srv/build/liveos-1/image/.", "/srv/build/liveos-1/rootfs"),
            1,
            "cp: error writing '/srv/build/liveos-1/rootfs/usr/bin/x': No space left on device",
            null);

    assertThat(DiskFull.folder(cp, BUILD)).contains(BUILD);
  }

  @Test
  void withoutAPathInTheLineTheProgramsDestinationTells() {
    ProcessFailedException convert =
        new ProcessFailedException(
            Command.of(
                "qemu-img", "convert", "-O", "qcow2", "/srv/build/image.raw", "/out/.a.partial"),
            1,
            "qemu-img: error while writing at byte 4096: No space left on device",
            null);
    ProcessFailedException xorriso =
        new ProcessFailedException(
            Command.of("xorriso", "-as", "mkisofs", "-o", "/out/.b.partial", "/srv/build/x"),
            5,
            "xorriso : FAILURE : No space left on device",
            null);

    assertThat(DiskFull.folder(convert, BUILD)).contains(Path.of("/out"));
    assertThat(DiskFull.folder(xorriso, BUILD)).contains(Path.of("/out"));
  }

  @Test
  void aJavaWriteNamesItsFile() {
    ImageCustomizerException write =
        ImageCustomizerException.io(
            "cannot write /out/image.iso", new IOException("No space left on device"));

    assertThat(DiskFull.folder(new RuntimeException("wrapped", write), BUILD))
        .contains(Path.of("/out"));
  }

  @Test
  void otherFailuresAreNotDiskFull() {
    assertThat(DiskFull.folder(new ImageCustomizerException("mount failed"), BUILD)).isEmpty();
  }
}
