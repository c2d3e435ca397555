package io.imagecustomizer.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildDirLockTest {
  private static final long PID = ProcessHandle.current().pid();

  @Test
  void aSecondRunIsRefusedWithTheHoldersPid(@TempDir Path dir) throws IOException {
    try (BuildDirLock held = BuildDirLock.take(dir)) {
      assertThat(Files.readString(dir.resolve(BuildDirLock.FILE_NAME)).strip())
          .isEqualTo(Long.toString(PID));
      assertThatThrownBy(() -> BuildDirLock.take(dir))
          .isInstanceOf(ImageCustomizerException.class)
          .hasMessage("build dir " + dir + " is in use by run PID " + PID);
    }
    BuildDirLock.take(dir).close();
  }

  @Test
  void theLockOfAnEndedRunIsTakenOver(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve(BuildDirLock.FILE_NAME), "4242\n");

    try (BuildDirLock held = BuildDirLock.take(dir)) {
      assertThat(Files.readString(dir.resolve(BuildDirLock.FILE_NAME)).strip())
          .isEqualTo(Long.toString(PID));
    }
  }
}
