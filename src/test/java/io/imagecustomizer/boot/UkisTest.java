package io.imagecustomizer.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;

class UkisTest {
  private static final List<String> ESP =
      List.of(
          "/EFI/",
          "/EFI/BOOT/",
          "/EFI/BOOT/BOOTX64.EFI",
          "/EFI/Linux/",
          "/EFI/Linux/vmlinuz-6.1.0-50-amd64.efi",
          "/EFI/Linux/vmlinuz-6.1.0-50-amd64.efi.extra.d/",
          "/EFI/Linux/vmlinuz-6.1.0-50-amd64.efi.extra.d/vmlinuz-6.1.0-50-amd64.addon.efi",
          "/EFI/linux/VMLINUZ-6.6.0.EFI",
          "/EFI/Linux/other.efi");

  @Test
  void findsUkisByKernelVersionIgnoringCaseAndFolders() {
    assertThat(Ukis.on(ESP))
        .containsExactly(
            entry("6.1.0-50-amd64", "/EFI/Linux/vmlinuz-6.1.0-50-amd64.efi"),
            entry("6.6.0", "/EFI/linux/VMLINUZ-6.6.0.EFI"));
  }

  @Test
  void findsTheAddonBesideItsUki() {
    assertThat(Ukis.addonOn(ESP, "6.1.0-50-amd64"))
        .contains("/EFI/Linux/vmlinuz-6.1.0-50-amd64.efi.extra.d/vmlinuz-6.1.0-50-amd64.addon.efi");
    assertThat(Ukis.addonOn(ESP, "6.6.0")).isEmpty();
    assertThat(Ukis.addonPath("6.6.0"))
        .isEqualTo("/EFI/Linux/vmlinuz-6.6.0.efi.extra.d/vmlinuz-6.6.0.addon.efi");
  }

  @Test
  void dropsWhatOnlyGrubUnderstandsFromItsArguments() {
    assertThat(
            Ukis.fromGrub(
                List.of(
                    "BOOT_IMAGE=/boot/vmlinuz-6.1.0",
                    "root=UUID=1234",
                    "ro",
                    "$kernelopts",
                    "console=ttyS0,115200n8")))
        .containsExactly("root=UUID=1234", "ro", "console=ttyS0,115200n8");
  }
}
