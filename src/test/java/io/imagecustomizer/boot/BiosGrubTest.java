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

class BiosGrubTest {
  @TempDir Path tree;

  private void file(String path) throws IOException {
    Path file = tree.resolve(path.substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, "");
  }

  @Test
  void takesTheImagesOwnInstaller() throws IOException {
    file("/usr/sbin/grub2-install");
    file(BiosGrub.MODULES + "/boot.img");

    assertThat(BiosGrub.requireTools(new ImageRoot(tree))).isEqualTo("grub2-install");
  }

  @Test
  void anImageWithoutBiosModulesIsToldWhichPackageBringsThem() throws IOException {
    file("/usr/sbin/grub-install");
    file("/usr/lib/grub/x86_64-efi/normal.mod");

    assertThatThrownBy(() -> BiosGrub.requireTools(new ImageRoot(tree)))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining("storage.bootType: legacy")
        .hasMessageContaining("it has no /usr/lib/grub/i386-pc")
        .satisfies(
            e ->
                assertThat(((ImageCustomizerException) e).hint())
                    .contains("grub2-pc", "grub-pc-bin"));
  }

  @Test
  void anImageWithoutAnInstallerIsRefused() throws IOException {
    file(BiosGrub.MODULES + "/boot.img");

    assertThatThrownBy(() -> BiosGrub.requireTools(new ImageRoot(tree)))
        .hasMessageContaining("it has no grub2-install or grub-install");
  }

  @Test
  void theRedirectKeepsThePrefixForModules() {
    assertThat(BiosGrub.redirect("/grub2/grub.cfg"))
        .contains("configfile ($root)/grub2/grub.cfg")
        .doesNotContain("prefix");
  }
}
