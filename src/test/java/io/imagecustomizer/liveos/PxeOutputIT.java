package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.boot.GrubConfig;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.testing.BootHarness;
import io.imagecustomizer.testing.BootResult;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PXE artifacts booted the way a PXE boot loader would: kernel, initrd and grub.cfg arguments. */
class PxeOutputIT {
  private static final Path IT = Path.of("src/test/resources/it");

  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  @Test
  void bootstrapInitrdDownloadsTheIsoOverHttpAndBoots(@TempDir Path dir) throws IOException {
    Path pxe = dir.resolve("pxe");
    CliRun run =
        CliRun.customize(
            dir.resolve("build"),
            TestImages.base("qcow2"),
            IT.resolve("pxe-bootstrap/config.yaml"),
            "pxe-dir",
            pxe);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(pxe.resolve("bootx64.efi")).isRegularFile();
    assertThat(pxe.resolve("grubx64.efi")).isRegularFile();
    assertThat(pxe.resolve("image.iso")).isRegularFile();
    assertThat(pxe.resolve("notes/readme.txt")).hasContent("served next to the artifacts");
    String grub = Files.readString(pxe.resolve("boot/grub2/grub.cfg"));
    assertThat(grub)
        .doesNotContain("search")
        .contains("root=live:http://10.0.2.100:8080/image.iso");

    BootResult boot =
        BootHarness.boot(
            "pxe-bootstrap",
            new BootHarness.KernelBoot(
                only(pxe.resolve("boot"), "vmlinuz-"),
                only(pxe.resolve("boot"), "initramfs-"),
                kernelArgs(grub),
                pxe),
            Duration.ofMinutes(10));

    assertThat(boot.booted()).as(boot.toString()).isTrue();
    assertThat(boot.hostname()).isEqualTo("pxe-live");
    assertThat(boot.root()).isEqualTo("LiveOS_rootfs,overlay");
    assertThat(boot.cmdline()).contains("imagecustomizer.pxe=1");
  }

  @Test
  void fullOsArtifactsBootWithoutNetworkAndTarMatchesTheFolder(@TempDir Path dir)
      throws IOException {
    Path pxe = dir.resolve("pxe");
    Path tar = dir.resolve("pxe.tar.gz");
    Path config = IT.resolve("pxe-full-os/config.yaml");
    CliRun folder =
        CliRun.customize(dir.resolve("build"), TestImages.base("qcow2"), config, "pxe-dir", pxe);
    assertThat(folder.code()).as(folder.err()).isZero();
    CliRun packed =
        CliRun.customize(dir.resolve("build"), TestImages.base("qcow2"), config, "pxe-tar", tar);
    assertThat(packed.code()).as(packed.err()).isZero();

    Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
    new SystemProcessRunner()
        .run(Command.of("tar", "-xzf", tar.toString(), "-C", unpacked.toString()));
    assertThat(listing(unpacked)).isEqualTo(listing(pxe));
    assertThat(pxe.resolve("image.iso")).doesNotExist();

    String grub = Files.readString(pxe.resolve("boot/grub2/grub.cfg"));
    BootResult boot =
        BootHarness.boot(
            "pxe-full-os",
            new BootHarness.KernelBoot(
                only(pxe.resolve("boot"), "vmlinuz-"),
                pxe.resolve("boot/initrd.img"),
                kernelArgs(grub),
                null),
            Duration.ofMinutes(12),
            6144);

    assertThat(boot.booted()).as(boot.toString()).isTrue();
    assertThat(boot.hostname()).isEqualTo("pxe-full");
    assertThat(boot.root()).isEqualTo("rootfs,rootfs");
  }

  private static String kernelArgs(String grub) {
    return String.join(" ", GrubConfig.parse(grub).kernelArgs().get(0));
  }

  private static Path only(Path folder, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> found = files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
      assertThat(found).hasSize(1);
      return found.get(0);
    }
  }

  /**
   * Relative path of every file, sorted. Sizes are left out: two runs differ in the image id and
   * build time they write into the OS.
   */
  private static List<String> listing(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }
}
