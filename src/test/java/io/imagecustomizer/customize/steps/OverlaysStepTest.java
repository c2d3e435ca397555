package io.imagecustomizer.customize.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.config.Overlay;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.image.mount.FstabEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlaysStepTest {
  private static final List<FstabEntry> FSTAB =
      FstabEntry.parse(
          "PARTUUID=a / ext4 ro 0 1\n"
              + "PARTUUID=b /var ext4 defaults,x-initrd.mount 0 2\n"
              + "PARTUUID=c /home ext4 defaults 0 2\n");

  private static Overlay etc(boolean initrd, List<String> dependencies, String options) {
    return new Overlay(
        List.of("/etc"),
        "/var/overlays/etc/upper",
        "/var/overlays/etc/work",
        "/etc",
        initrd,
        dependencies,
        options);
  }

  @Test
  void anOverlayIsOneFstabLineWithItsFoldersAndDependencies() {
    Overlay media =
        new Overlay(
            List.of("/media", "/home"),
            "/overlays/media/upper",
            "/overlays/media/work",
            "/media",
            null,
            List.of("/home"),
            "noatime,nodiratime");

    assertThat(OverlaysStep.fstabLine(media))
        .isEqualTo(
            "overlay /media overlay lowerdir=/media:/home,upperdir=/overlays/media/upper,"
                + "workdir=/overlays/media/work,x-systemd.requires=/home,noatime,nodiratime 0 0");
  }

  @Test
  void anInitrdOverlayHasItsFoldersUnderSysrootAndIsMountedByTheInitramfs() {
    assertThat(OverlaysStep.fstabLine(etc(true, List.of("/var"), null)))
        .isEqualTo(
            "overlay /etc overlay lowerdir=/sysroot/etc,upperdir=/sysroot/var/overlays/etc/upper,"
                + "workdir=/sysroot/var/overlays/etc/work,x-systemd.requires=/sysroot/var,"
                + "x-initrd.mount,x-systemd.wanted-by=initrd-fs.target 0 0");
  }

  @Test
  void anInitrdOverlayDependsOnlyOnMountsTheInitramfsMakes() {
    assertThatCode(
            () ->
                OverlaysStep.checkInitrdDependencies(
                    "os.overlays[0]", etc(true, List.of("/var"), null), FSTAB))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                OverlaysStep.checkInitrdDependencies(
                    "os.overlays[0]", etc(true, List.of("/var", "/home"), null), FSTAB))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessage(
            "os.overlays[0].mountDependencies[1]: the image's /etc/fstab mounts /home without the"
                + " option x-initrd.mount");
    assertThatThrownBy(
            () ->
                OverlaysStep.checkInitrdDependencies(
                    "os.overlays[2]", etc(true, List.of("/data"), null), FSTAB))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessage(
            "os.overlays[2].mountDependencies[0]: /data is not a mount of the image's /etc/fstab");
  }

  @Test
  void selinuxIsOnUnlessItsConfigIsMissingOrSaysDisabled(@TempDir Path dir) throws IOException {
    ImageRoot root = new ImageRoot(dir);
    assertThat(OverlaysStep.selinuxOn(root)).isFalse();

    Files.createDirectories(dir.resolve("etc/selinux"));
    Files.writeString(dir.resolve("etc/selinux/config"), "# x\nSELINUX=disabled\nSELINUXTYPE=t\n");
    assertThat(OverlaysStep.selinuxOn(root)).isFalse();

    Files.writeString(dir.resolve("etc/selinux/config"), "SELINUX=permissive\n");
    assertThat(OverlaysStep.selinuxOn(root)).isTrue();
  }
}
