package io.imagecustomizer.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.testing.GrubEfiFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrubEfiImageTest {
  @TempDir Path dir;

  @Test
  void readsThePrefixBuiltIn() throws IOException {
    GrubEfiImage grub =
        GrubEfiImage.read(GrubEfiFiles.withPrefix(dir.resolve("g.efi"), "/EFI/debian"));

    assertThat(grub.prefix()).hasValue("/EFI/debian");
    assertThat(grub.folder()).hasValue("/EFI/debian");
    assertThat(grub.embeddedConfig()).isFalse();
  }

  @Test
  void aPrefixWithADeviceGivesItsPath() throws IOException {
    GrubEfiImage grub =
        GrubEfiImage.read(GrubEfiFiles.withPrefix(dir.resolve("g.efi"), "(hd0,gpt2)/boot/grub/"));

    assertThat(grub.folder()).hasValue("/boot/grub");
  }

  @Test
  void aGrubWithoutModuleAreaHasNoPrefix() throws IOException {
    Path file = Files.write(dir.resolve("plain.efi"), GrubEfiFiles.pe(".text", new byte[16]));

    assertThat(GrubEfiImage.read(file).prefix()).isEmpty();
  }

  @Test
  void notAPeFileIsToldAsSuch() throws IOException {
    Path file = Files.write(dir.resolve("junk.efi"), new byte[128]);

    assertThatThrownBy(() -> GrubEfiImage.read(file))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining("is not an EFI binary: no MZ header");
  }

  @Test
  void aBrokenModuleAreaIsRefused() throws IOException {
    Path file = Files.write(dir.resolve("bad.efi"), GrubEfiFiles.pe("mods", new byte[32]));

    assertThatThrownBy(() -> GrubEfiImage.read(file))
        .hasMessageContaining("damaged grub module area");
  }
}
