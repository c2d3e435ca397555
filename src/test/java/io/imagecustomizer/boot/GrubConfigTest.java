package io.imagecustomizer.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;

class GrubConfigTest {
  private static final String AZL =
      String.join(
          "\n",
          "set timeout=0",
          "search -n -u 1234 -s",
          "menuentry \"Linux\" {",
          "\tlinux $bootprefix/vmlinuz-6.1.0 root=UUID=abcd ro console=ttyS0,115200n8",
          "\tinitrd $bootprefix/initramfs-6.1.0.img",
          "}",
          "");

  @Test
  void appendsArgumentsToEveryLinuxLineOnce() {
    GrubConfig once = GrubConfig.parse(AZL).appendArgs(List.of("quiet", "ds=nocloud"));
    GrubConfig twice = GrubConfig.parse(once.text()).appendArgs(List.of("quiet", "ds=nocloud"));

    assertThat(once.kernelArgs())
        .containsExactly(
            List.of("root=UUID=abcd", "ro", "console=ttyS0,115200n8", "quiet", "ds=nocloud"));
    assertThat(twice.text()).isEqualTo(once.text());
  }

  @Test
  void givesEachKernelTheArgumentsOfItsFirstEntry() {
    GrubConfig config =
        GrubConfig.parse(
            String.join(
                "\n",
                "menuentry \"Debian\" {",
                "  linux /boot/vmlinuz-6.1.0 root=UUID=abcd ro quiet",
                "}",
                "menuentry \"Debian (recovery mode)\" {",
                "  linux /boot/vmlinuz-6.1.0 root=UUID=abcd ro single",
                "}",
                "menuentry \"Debian, older\" {",
                "  linux /boot/vmlinuz-5.10.0 root=UUID=abcd ro",
                "}"));

    assertThat(config.kernelArgsByKernel())
        .containsExactly(
            entry("/boot/vmlinuz-6.1.0", List.of("root=UUID=abcd", "ro", "quiet")),
            entry("/boot/vmlinuz-5.10.0", List.of("root=UUID=abcd", "ro")));
  }

  @Test
  void keepsEverythingButTheLinuxLines() {
    String edited = GrubConfig.parse(AZL).appendArgs(List.of("quiet")).text();

    assertThat(edited.lines().toList())
        .containsExactly(
            "set timeout=0",
            "search -n -u 1234 -s",
            "menuentry \"Linux\" {",
            "\tlinux $bootprefix/vmlinuz-6.1.0 root=UUID=abcd ro console=ttyS0,115200n8 quiet",
            "\tinitrd $bootprefix/initramfs-6.1.0.img",
            "}");
    assertThat(edited).endsWith("}\n");
  }

  @Test
  void setArgReplacesTheValueInPlace() {
    GrubConfig edited =
        GrubConfig.parse(AZL).setArg("root", "live:LABEL=CDROM").setArg("root", "live:LABEL=CDROM");

    assertThat(edited.kernelArgs().get(0))
        .containsExactly("root=live:LABEL=CDROM", "ro", "console=ttyS0,115200n8");
  }

  @Test
  void removeArgDropsFlagsAndValues() {
    GrubConfig edited =
        GrubConfig.parse(AZL).appendArgs(List.of("selinux=1", "selinux")).removeArg("selinux");

    assertThat(edited.kernelArgs().get(0)).doesNotContain("selinux", "selinux=1");
  }

  @Test
  void recognisesLinuxefiAndIndentedCommands() {
    GrubConfig config = GrubConfig.parse("  linuxefi /vmlinuz root=/dev/sda2\nlinux16 /k a=b\n");

    assertThat(config.kernelArgs()).containsExactly(List.of("root=/dev/sda2"), List.of("a=b"));
  }
}
