package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.config.InitramfsType;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveOsGrubTest {
  private static final String IMAGE =
      String.join(
          "\n",
          "set timeout=0",
          "set bootprefix=/boot",
          "search -n -u 0a1b-uuid -s",
          "menuentry \"Debian\" {",
          "\tlinux $bootprefix/vmlinuz-6.1.0-26-amd64 root=UUID=abcd ro console=ttyS0,115200n8"
              + " security=selinux selinux=1",
          "\tinitrd $bootprefix/initramfs-6.1.0-26-amd64.img",
          "}",
          "");

  @Test
  void isoBootstrapFindsTheSquashfsOnTheMedia() {
    String iso = LiveOsGrub.iso(IMAGE, InitramfsType.BOOTSTRAP, List.of("ds=nocloud"), true);

    assertThat(iso)
        .contains("search --no-floppy --label CDROM --set root")
        .contains("\tinitrd /boot/initramfs-6.1.0-26-amd64.img")
        .contains(
            "\tlinux /boot/vmlinuz-6.1.0-26-amd64 root=live:LABEL=CDROM ro"
                + " console=ttyS0,115200n8 selinux=0 rd.live.image rd.live.dir=/liveos"
                + " rd.live.squashimg=rootfs.img rd.live.overlay.overlayfs"
                + " rd.live.overlay.nouserconfirmprompt ds=nocloud")
        .doesNotContain("rd.live.overlay=1", "UUID=abcd", "security=selinux");
  }

  @Test
  void isoFromAnIsoCarriesEachArgumentOnce() {
    String first = LiveOsGrub.iso(IMAGE, InitramfsType.BOOTSTRAP, List.of("ds=nocloud"), true);
    String second = LiveOsGrub.iso(first, InitramfsType.BOOTSTRAP, List.of("ds=nocloud"), true);

    assertThat(second).isEqualTo(first);
  }

  @Test
  void fullOsHasNoRootAndOneInitrd() {
    String iso = LiveOsGrub.iso(IMAGE, InitramfsType.FULL_OS, List.of(), true);

    assertThat(iso).contains("\tinitrd /boot/initrd.img").doesNotContain("root=", "rd.live.image");
  }

  @Test
  void bootstrapIsoTurnedFullOsLosesTheSquashfsArguments() {
    String bootstrap = LiveOsGrub.iso(IMAGE, InitramfsType.BOOTSTRAP, List.of("ds=nocloud"), true);

    String fullOs = LiveOsGrub.iso(bootstrap, InitramfsType.FULL_OS, List.of(), true);

    assertThat(fullOs)
        .contains("\tinitrd /boot/initrd.img", "ds=nocloud")
        .doesNotContain("root=", "rd.live");
  }

  @Test
  void bootstrapIsoServedOverPxeSwapsTheMediaForTheUrl() {
    String iso = LiveOsGrub.iso(IMAGE, InitramfsType.BOOTSTRAP, List.of(), true);

    String pxe =
        LiveOsGrub.pxe(iso, InitramfsType.BOOTSTRAP, "http://192.0.2.1/a.iso", List.of(), true);

    assertThat(pxe)
        .contains("root=live:http://192.0.2.1/a.iso", "ip=dhcp")
        .doesNotContain("LABEL=CDROM", "search");
  }

  @Test
  void pxeBootstrapDownloadsTheIsoAndHasNoSearch() {
    String pxe =
        LiveOsGrub.pxe(
            IMAGE, InitramfsType.BOOTSTRAP, "http://192.0.2.1/liveos/image.iso", List.of(), true);

    assertThat(pxe)
        .doesNotContain("search")
        .contains(
            "\tlinux /boot/vmlinuz-6.1.0-26-amd64 root=live:http://192.0.2.1/liveos/image.iso ro")
        .contains("rd.live.overlay.nouserconfirmprompt ip=dhcp rd.neednet=1");
  }

  @Test
  void keepsSelinuxArgumentsUnlessAskedToDisable() {
    String iso = LiveOsGrub.iso(IMAGE, InitramfsType.BOOTSTRAP, List.of(), false);

    assertThat(iso).contains("security=selinux selinux=1").doesNotContain("selinux=0");
  }
}
