package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveOsWorkDirTest {
  private final LiveOsWorkDir work = new LiveOsWorkDir(Path.of("/build/liveos-1"));

  @Test
  void workFilesSitBesideTheStagedMedia() {
    assertThat(LiveOsIsoBuilder.stagingDir(work.path())).isEqualTo(work.staging());
    assertThat(work.staging()).isEqualTo(Path.of("/build/liveos-1/staging"));
    assertThat(work.rootfs()).isEqualTo(Path.of("/build/liveos-1/rootfs"));
    assertThat(work.pxeGrubConfig()).isEqualTo(Path.of("/build/liveos-1/grub-pxe.cfg"));
    assertThat(work.redirectGrubConfig()).isEqualTo(Path.of("/build/liveos-1/redirect-grub.cfg"));
    assertThat(work.pxe()).isEqualTo(Path.of("/build/liveos-1/pxe"));
  }

  @Test
  void mediaFilesAreWhereTheIsoHasThem() {
    MediaDir media = work.media();

    assertThat(media.root()).isEqualTo(work.staging());
    assertThat(relative(media.grubConfig())).isEqualTo("boot/grub2/grub.cfg");
    assertThat(relative(media.efiImage())).isEqualTo(MediaDir.EFI_IMAGE);
    assertThat(relative(media.shim())).isEqualTo("EFI/BOOT/bootx64.efi");
    assertThat(relative(media.grub())).isEqualTo("EFI/BOOT/grubx64.efi");
    assertThat(relative(media.kernel("6.1.0"))).isEqualTo("boot/vmlinuz-6.1.0");
    assertThat(relative(media.initramfs("6.1.0"))).isEqualTo("boot/initramfs-6.1.0.img");
    assertThat(relative(media.fullOsInitrd())).isEqualTo("boot/initrd.img");
    assertThat(relative(media.squashfs())).isEqualTo("liveos/rootfs.img");
    assertThat(relative(media.savedConfig())).isEqualTo("azl-image-customizer/saved-configs.yaml");
  }

  @Test
  void everyInitramfsCountsAsABootstrapInitrd(@TempDir Path dir) throws IOException {
    MediaDir media = new MediaDir(dir);
    Files.createDirectories(media.boot());
    for (String name : List.of("initramfs-6.1.0.img", "initramfs-6.1.0kdump.img", "initrd.img")) {
      Files.writeString(media.boot().resolve(name), "");
    }

    assertThat(media.initramfsFiles())
        .containsExactly(
            media.initramfs("6.1.0"), media.boot().resolve("initramfs-6.1.0kdump.img"));
  }

  private String relative(Path path) {
    return work.staging().relativize(path).toString();
  }
}
