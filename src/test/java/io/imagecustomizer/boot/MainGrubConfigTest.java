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

class MainGrubConfigTest {
  private static final String MAIN = "menuentry \"Linux\" {\n\tlinux /boot/vmlinuz-6.1.0 ro\n}\n";

  @TempDir Path dir;

  @Test
  void readsDebiansLocationWhenThereIsNoGrub2() throws IOException {
    write("boot/grub/grub.cfg", MAIN);

    MainGrubConfig grub = MainGrubConfig.read(new ImageRoot(dir), "add kernel arguments");

    assertThat(grub.path()).isEqualTo("/boot/grub/grub.cfg");
    assertThat(grub.config().text()).isEqualTo(MAIN);
  }

  @Test
  void prefersGrub2() throws IOException {
    write("boot/grub/grub.cfg", "configfile /boot/grub2/grub.cfg\n");
    write("boot/grub2/grub.cfg", MAIN);

    assertThat(MainGrubConfig.read(new ImageRoot(dir), "add kernel arguments").path())
        .isEqualTo("/boot/grub2/grub.cfg");
  }

  @Test
  void refusesARedirect() throws IOException {
    write("boot/grub2/grub.cfg", "configfile (hd0,gpt2)/grub.cfg\n");

    assertThatThrownBy(() -> MainGrubConfig.read(new ImageRoot(dir), "build a Live OS"))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessage("cannot build a Live OS: /boot/grub2/grub.cfg has no 'linux' command");
  }

  @Test
  void namesEveryLocationWhenThereIsNone() {
    assertThatThrownBy(() -> MainGrubConfig.read(new ImageRoot(dir), "build a Live OS"))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessage(
            "cannot build a Live OS: the image has no /boot/grub2/grub.cfg or /boot/grub/grub.cfg");
  }

  private void write(String path, String text) throws IOException {
    Files.createDirectories(dir.resolve(path).getParent());
    Files.writeString(dir.resolve(path), text);
  }
}
