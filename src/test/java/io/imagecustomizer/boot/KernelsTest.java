package io.imagecustomizer.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelsTest {
  @TempDir Path dir;

  @Test
  void versionsAreSortedAndIgnoreOtherFiles() throws IOException {
    Path boot = Files.createDirectories(dir.resolve("boot"));
    for (String name :
        new String[] {"vmlinuz-6.6.1", "vmlinuz-6.1.0", "initrd.img-6.1.0", "config-6.1.0"}) {
      Files.writeString(boot.resolve(name), "");
    }

    assertThat(Kernels.versions(boot)).containsExactly("6.1.0", "6.6.1");
    assertThat(Kernels.fileName("6.1.0")).isEqualTo("vmlinuz-6.1.0");
  }

  @Test
  void aMissingFolderHasNone() {
    assertThat(Kernels.versions(dir.resolve("boot"))).isEmpty();
  }

  @Test
  void anImageMustHaveOne() throws IOException {
    Files.createDirectories(dir.resolve("boot"));

    assertThatThrownBy(() -> Kernels.installed(new ImageRoot(dir)))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessage("the image has no kernel (/boot/vmlinuz-<version>)");
  }
}
