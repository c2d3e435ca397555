package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.RecordingRunner;
import io.imagecustomizer.format.fat.FatImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootBinariesTest {
  private final FatImage esp = FatImage.at(new RecordingRunner(""), Path.of("disk.raw"), 1048576);

  @Test
  void findsTheShimAndGrubWhateverTheirCase() {
    BootBinaries found =
        BootBinaries.find(
            esp,
            List.of(
                "/EFI",
                "/EFI/BOOT",
                "/EFI/BOOT/BOOTX64.EFI",
                "/EFI/BOOT/grubx64-noprefix.efi",
                "/EFI/debian",
                "/EFI/debian/grubx64.efi",
                "/EFI/debian/shimx64.efi"));

    assertThat(found.shim()).isEqualTo("/EFI/BOOT/BOOTX64.EFI");
    assertThat(found.grub())
        .as("grubx64.efi before the noprefix one")
        .isEqualTo("/EFI/debian/grubx64.efi");
  }

  @Test
  void anEspWithoutGrubIsRefused() {
    assertThatThrownBy(() -> BootBinaries.find(esp, List.of("/EFI/BOOT/bootx64.efi")))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining("failed to find the grub efi file");
  }
}
