package io.imagecustomizer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A config asking for what this version cannot apply yet is refused before any work: exit 2, the
 * field's YAML path with line and column, no output, the input untouched, nothing left attached or
 * mounted. validate-config accepts the same config and warns.
 */
class RefusedFieldsIT {
  private static final Path CONFIGS = Path.of("src/test/resources/it/refused");

  @BeforeAll
  static void needsTheTestImage() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
    assumeTrue(Files.exists(Path.of("target/imagecustomizer.jar")), "needs the packaged jar");
  }

  @ParameterizedTest
  @CsvSource({
    "selinux-policy.yaml, 'selinux-policy.yaml:7:3: output.selinuxPolicyPath: not supported yet',"
        + " 'writing out the SELinux policy'"
  })
  void isRefusedBeforeAnyWork(String config, String first, String second, @TempDir Path dir)
      throws Exception {
    Path input = TestImages.base("qcow2");
    String before = TestImages.sha256(input);
    Path output = dir.resolve("out.vhdx");

    CliRun result =
        CliRun.customize(dir.resolve("build"), input, CONFIGS.resolve(config), "vhdx", output);

    assertThat(result.code()).as(result.err()).isEqualTo(2);
    assertThat(result.err()).contains(first, second).doesNotContain("Exception");
    assertNothingWrittenOrLeft(dir, input, before, output);

    // The log goes to the process's stderr, so validate-config runs as its own process here.
    Process validate =
        new ProcessBuilder(
                "java",
                "-jar",
                "target/imagecustomizer.jar",
                "validate-config",
                "--config-file",
                CONFIGS.resolve(config).toString())
            .redirectErrorStream(true)
            .start();
    String said = new String(validate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(validate.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(validate.exitValue()).as(said).isZero();
    assertThat(said).contains("customize will refuse this", first);
  }

  /**
   * A snapshot time on an image whose apt cannot honour it: the packages step stops before any
   * package command that changes something, naming the field and the image's apt.
   */
  @Test
  void aSnapshotTheImagesAptCannotHonourStopsBeforeAnyPackageChange(@TempDir Path dir)
      throws Exception {
    Path input = TestImages.base("qcow2");
    String before = TestImages.sha256(input);
    Path output = dir.resolve("out.vhdx");

    CliRun result =
        CliRun.customize(
            dir.resolve("build"), input, CONFIGS.resolve("snapshot.yaml"), "vhdx", output);

    assertThat(result.code()).as(result.err()).isEqualTo(1);
    assertThat(result.err())
        .contains(
            "os.packages.snapshotTime: the image's apt (apt 2.6",
            "APT::Snapshot needs apt 2.7 or newer")
        .doesNotContain("Exception");
    assertNothingWrittenOrLeft(dir, input, before, output);
  }

  private static void assertNothingWrittenOrLeft(
      Path dir, Path input, String inputHash, Path output) throws Exception {
    assertThat(output).doesNotExist();
    assertThat(dir.resolve("." + output.getFileName() + ".partial")).doesNotExist();
    assertThat(TestImages.sha256(input)).isEqualTo(inputHash);
    assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(dir.toString());
    assertThat(losetupList()).doesNotContain(dir.toString());
  }

  private static String losetupList() throws IOException, InterruptedException {
    Process losetup = new ProcessBuilder("losetup", "--list", "--noheadings").start();
    String list = new String(losetup.getInputStream().readAllBytes());
    losetup.waitFor(30, TimeUnit.SECONDS);
    return list;
  }
}
