package io.imagecustomizer.customize.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.boot.GrubConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a hard reset writes for a root on a btrfs subvolume. */
class BootLoaderResetStepTest {
  private static final String GENERATED =
      """
      menuentry 'Linux' {
        search --no-floppy --fs-uuid --set=root 1111
        linux /root/boot/vmlinuz-6.1 root=UUID=1111 ro console=ttyS0
        initrd /root/boot/initramfs-6.1.img
      }
      """;

  @Test
  void aKernelLineWithoutTheRootSubvolumeGetsIt() {
    GrubConfig flagged = BootLoaderResetStep.rootFlags(GrubConfig.parse(GENERATED), "root");

    assertThat(flagged.kernelArgs())
        .containsExactly(List.of("root=UUID=1111", "ro", "console=ttyS0", "rootflags=subvol=root"));
  }

  @Test
  void aConfigWhoseLinesNameItAlreadyNeedsNoEdit() {
    GrubConfig generated = GrubConfig.parse(GENERATED);
    // Debian's 10_linux puts it before the config's arguments, with its own spacing.
    GrubConfig fromMkconfig =
        GrubConfig.parse(GENERATED.replace("ro console", "ro  rootflags=subvol=root console"));

    assertThat(BootLoaderResetStep.namesRootSubvolume(generated, "root")).isFalse();
    assertThat(BootLoaderResetStep.namesRootSubvolume(fromMkconfig, "root")).isTrue();
    assertThat(BootLoaderResetStep.namesRootSubvolume(fromMkconfig, "@")).isFalse();
  }

  @Test
  void grubReadsABtrfsOsFromTheFilesystemsTopLevel() {
    assertThat(BootLoaderResetStep.grubPath("/boot/grub2", "/", Optional.of("root")))
        .isEqualTo("/root/boot/grub2");
    assertThat(BootLoaderResetStep.grubPath("/boot/grub2", "/boot", Optional.of("@boot")))
        .isEqualTo("/@boot/grub2");
    assertThat(BootLoaderResetStep.grubPath("/boot/grub2", "/boot", Optional.empty()))
        .isEqualTo("/grub2");
    assertThat(BootLoaderResetStep.grubPath("/boot/grub", "/", Optional.empty()))
        .isEqualTo("/boot/grub");
  }

  @Test
  void theDefaultsKeepTheRootFlagsWhenTheImagesScriptsLackThem() {
    String defaults =
        BootLoaderResetStep.defaultGrub(
            List.of("console=ttyS0", BootLoaderResetStep.rootFlagsArg("root")), "UUID");

    assertThat(defaults).contains("GRUB_CMDLINE_LINUX=\"console=ttyS0 rootflags=subvol=root\"\n");
  }
}
