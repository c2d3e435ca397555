package io.imagecustomizer.customize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.resource.MountTable;
import io.imagecustomizer.testing.BootHarness;
import io.imagecustomizer.testing.BootResult;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The customize command on a real image: every os field, written as vhdx, booted. */
class CustomizeDiskIT {
  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  @Test
  void symlinkInTheImageCannotRedirectAWriteToTheHost(@TempDir Path dir) throws IOException {
    Path linked = dir.resolve("linked.raw");
    Path written = dir.resolve("written.raw");
    Path hostMarker = Path.of("/etc/imagecustomizer-escape-marker");
    Files.deleteIfExists(hostMarker);

    customize(dir, TestImages.base("raw"), "symlink-escape/make-link.yaml", "raw", linked);
    customize(dir, linked, "symlink-escape/write-through-link.yaml", "raw", written);

    assertThat(hostMarker).doesNotExist();
    try (OsImage image =
        OsImage.open(new SystemProcessRunner(), written, dir.resolve("inspect"), true)) {
      assertThat(Files.isSymbolicLink(image.root().hostPath().resolve("opt/escape"))).isTrue();
      assertThat(image.root().hostPath().resolve("etc/imagecustomizer-escape-marker"))
          .hasContent("inside the image");
    }
  }

  private static void customize(Path dir, Path input, String config, String format, Path output) {
    CliRun run =
        CliRun.customize(
            dir.resolve("build"),
            input,
            Path.of("src/test/resources/it/" + config),
            format,
            output);
    assertThat(run.code()).as(run.err()).isZero();
  }

  @Test
  void customizedImageBootsWithEveryChange(@TempDir Path dir) {
    Path input = TestImages.base("qcow2");
    String inputHash = TestImages.sha256(input);
    Path output = dir.resolve("out/customized.vhdx");

    customize(dir, input, "customize-everything/config.yaml", "vhdx", output);
    assertThat(TestImages.sha256(input)).as("the input image is unchanged").isEqualTo(inputHash);
    assertThat(output).exists();
    assertThat(dir.resolve("out")).isDirectoryNotContaining("glob:**/.*partial");
    assertThat(dir.resolve("build/image.raw")).doesNotExist();
    assertThat(MountTable.mountPointsUnder(dir)).as("mounts left behind").isEmpty();
    assertThat(LoopDevice.backedBy(new SystemProcessRunner(), dir))
        .as("loop devices left")
        .isEmpty();

    BootResult boot =
        BootHarness.boot(
            "customized-vhdx", new BootHarness.Disk(output, "vhdx"), Duration.ofMinutes(6));

    assertThat(boot.booted()).as(boot.toString()).isTrue();
    assertThat(boot.hostname()).isEqualTo("customized-box");
    assertThat(boot.cmdline()).contains("imagecustomizer.test=1");
    assertThat(boot.check("50-customized"))
        .hasValueSatisfying(
            line ->
                assertThat(line.split(" "))
                    .contains(
                        "tree=installed",
                        "less=removed",
                        "alice=2001:ops:ops,sudo",
                        "ops=2000",
                        "sshkey=alice:600",
                        "motd=640",
                        "treefile=copied-dir",
                        "networkd=enabled",
                        "e2scrub=disabled",
                        "dummy=1:1",
                        "post=post-ran:from-post",
                        "finalize=finalize-ran",
                        "release=1"));
  }
}
