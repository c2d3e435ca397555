package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.format.RecordingRunner;
import io.imagecustomizer.testing.GrubEfiFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FatBootImageTest {
  @TempDir Path dir;

  @Test
  void aGrubWithTheMediasOwnPrefixNeedsNoOtherConfig() throws IOException {
    LiveOsWorkDir work = new LiveOsWorkDir(dir);
    MediaDir media = work.media();
    Files.createDirectories(media.efiBoot());
    Files.write(media.shim(), new byte[1024]);
    GrubEfiFiles.withPrefix(media.grub(), "/boot/grub2");
    RecordingRunner runner = new RecordingRunner("");

    FatBootImage.write(runner, work, null);

    assertThat(runner.lines())
        .filteredOn(line -> line.startsWith("mmd"))
        .containsExactly(
            "mmd -i " + media.efiImage() + " ::/EFI ::/EFI/BOOT ::/boot ::/boot/grub2");
    assertThat(runner.lines()).filteredOn(line -> line.contains("grub.cfg")).hasSize(2);
  }

  @Test
  void holdsTheBinariesAndAGrubConfigWhereverAGrubLooks() throws IOException {
    LiveOsWorkDir work = new LiveOsWorkDir(dir);
    MediaDir media = work.media();
    Files.createDirectories(media.efiBoot());
    Files.write(media.shim(), new byte[3 * 512 * 1024]);
    // Debian's signed grub looks for grub.cfg in its built-in prefix, whichever folder it is in.
    GrubEfiFiles.withPrefix(media.grub(), "/EFI/debian");
    Files.createDirectories(media.efiImage().getParent());
    Files.writeString(media.efiImage(), "an ISO input's old one");
    RecordingRunner runner = new RecordingRunner("");

    FatBootImage.write(runner, work, null);

    String image = media.efiImage().toString();
    String redirect = work.redirectGrubConfig().toString();
    assertThat(runner.lines())
        .containsExactly(
            "mkfs.vfat -C -n EFIBOOT " + image + " 4096",
            "mmd -i " + image + " ::/EFI ::/EFI/BOOT ::/boot ::/boot/grub2 ::/EFI/debian",
            "mcopy -i " + image + " " + media.shim() + " ::/EFI/BOOT/bootx64.efi",
            "mcopy -i " + image + " " + media.grub() + " ::/EFI/BOOT/grubx64.efi",
            "mcopy -i " + image + " " + redirect + " ::/boot/grub2/grub.cfg",
            "mcopy -i " + image + " " + redirect + " ::/EFI/BOOT/grub.cfg",
            "mcopy -i " + image + " " + redirect + " ::/EFI/debian/grub.cfg");
    assertThat(media.efiImage()).as("mkfs.vfat -C makes a new file").doesNotExist();
    assertThat(work.redirectGrubConfig()).hasContent(LiveOsGrub.REDIRECT);
  }
}
