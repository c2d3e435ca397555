package io.imagecustomizer.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class ImageCustomizerExceptionTest {
  @Test
  void ioNamesTheOperationAndKeepsTheCause() {
    NoSuchFileException cause = new NoSuchFileException("/work/staging/boot");

    ImageCustomizerException e =
        ImageCustomizerException.io("cannot list /work/staging/boot", cause);

    assertThat(e)
        .hasMessage("cannot list /work/staging/boot: no such file or directory: /work/staging/boot")
        .hasCause(cause);
    assertThat(e.hint()).isNull();
  }
}
