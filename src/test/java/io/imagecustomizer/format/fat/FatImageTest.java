package io.imagecustomizer.format.fat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.format.RecordingRunner;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessFailedException;
import io.imagecustomizer.process.ProcessResult;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.run.DiskFull;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FatImageTest {
  @Test
  void aPartitionIsAddressedByItsOffset() {
    RecordingRunner runner =
        new RecordingRunner("::/EFI\n::/EFI/BOOT\n  ::/EFI/BOOT/BOOTX64.EFI\nnot a path\n");

    FatImage esp = FatImage.at(runner, Path.of("/w/disk.raw"), 1048576);

    assertThat(esp.list()).containsExactly("/EFI", "/EFI/BOOT", "/EFI/BOOT/BOOTX64.EFI");
    esp.copyOut("/EFI/BOOT/BOOTX64.EFI", Path.of("/w/bootx64.efi"));
    assertThat(runner.lines())
        .containsExactly(
            "mdir -/ -b -i /w/disk.raw@@1048576 ::/",
            "mcopy -n -o -i /w/disk.raw@@1048576 ::/EFI/BOOT/BOOTX64.EFI /w/bootx64.efi");
  }

  @Test
  void aListingIsSearchedIgnoringCase() {
    List<String> listing =
        List.of(
            "/EFI/",
            "/EFI/BOOT/",
            "/EFI/BOOT/BOOTX64.EFI",
            "/EFI/debian/",
            "/EFI/debian/grubx64.efi",
            "/EFI/BOOT/grubx64.efi");

    assertThat(FatImage.find(listing, "/EFI/Boot/bootx64.efi")).contains("/EFI/BOOT/BOOTX64.EFI");
    assertThat(FatImage.find(listing, "/efi/boot/")).contains("/EFI/BOOT/");
    assertThat(FatImage.find(listing, "/EFI/BOOT")).isEmpty();
    assertThat(FatImage.find(listing, "/bootx64.efi")).isEmpty();
    assertThat(FatImage.named(listing, "GRUBX64.EFI")).contains("/EFI/debian/grubx64.efi");
    assertThat(FatImage.named(listing, "bootx64.efi")).contains("/EFI/BOOT/BOOTX64.EFI");
    assertThat(FatImage.named(listing, "debian")).isEmpty();
  }

  @Test
  void aCopyCutShortByAFullDiskFailsThoughMtoolsExitsZero() {
    ProcessRunner full =
        new ProcessRunner() {
          @Override
          public ProcessResult run(Command command) {
            return runAllowingFailure(command);
          }

          @Override
          public ProcessResult runAllowingFailure(Command command) {
            return new ProcessResult(
                0, "", "plain_io: No space left on device\nShort write 11776 instead of 16384\n");
          }
        };
    FatImage esp = FatImage.at(full, Path.of("/w/disk.raw"), 1048576);

    assertThatThrownBy(() -> esp.copyOut("/EFI/BOOT/grubx64.efi", Path.of("/w/small/grubx64.efi")))
        .isInstanceOf(ProcessFailedException.class)
        .satisfies(
            e -> assertThat(DiskFull.folder(e, Path.of("/w/small"))).contains(Path.of("/w/small")));
  }

  @Test
  void aNewImageIsMadeThenFilled() {
    RecordingRunner runner = new RecordingRunner("");

    FatImage image = FatImage.create(runner, Path.of("/w/efiboot.img"), "EFIBOOT", 3072, null);
    image.mkdirs("/EFI", "/EFI/BOOT");
    image.copyIn(Path.of("/w/shim.efi"), "/EFI/BOOT/bootx64.efi");

    assertThat(runner.lines())
        .containsExactly(
            "mkfs.vfat -C -n EFIBOOT /w/efiboot.img 3072",
            "mmd -i /w/efiboot.img ::/EFI ::/EFI/BOOT",
            "mcopy -i /w/efiboot.img /w/shim.efi ::/EFI/BOOT/bootx64.efi");
  }

  @Test
  void withASourceDateTheImageIsInvariantAndMtoolsDatesFilesWithIt() {
    RecordingRunner runner = new RecordingRunner("");

    FatImage image =
        FatImage.create(
            runner,
            Path.of("/w/efiboot.img"),
            "EFIBOOT",
            3072,
            Instant.ofEpochSecond(1_700_000_000));
    image.mkdirs("/EFI");
    image.copyIn(Path.of("/w/shim.efi"), "/EFI/bootx64.efi");

    assertThat(runner.lines())
        .containsExactly(
            "mkfs.vfat -C -n EFIBOOT --invariant -i 6553f100 /w/efiboot.img 3072",
            "mmd -i /w/efiboot.img ::/EFI",
            "mcopy -i /w/efiboot.img /w/shim.efi ::/EFI/bootx64.efi");
    assertThat(runner.commands().subList(1, 3))
        .allSatisfy(
            c -> assertThat(c.environment()).containsEntry("SOURCE_DATE_EPOCH", "1700000000"));
  }
}
