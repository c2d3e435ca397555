package io.imagecustomizer.customize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.image.partition.GptReader;
import io.imagecustomizer.image.partition.Partition;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.resource.MountTable;
import io.imagecustomizer.testing.BootHarness;
import io.imagecustomizer.testing.BootResult;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.HostCommand;
import io.imagecustomizer.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Stream;
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

  /**
   * Every os field, plus the signing round trip of {@code output.artifacts}: the shim and grub
   * written out unsigned with their inject-files.yaml, signed with a key made here, put back by
   * {@code inject-files} in place; the image that boots is the injected one.
   */
  @Test
  void customizedImageBootsWithEveryChange(@TempDir Path dir) throws IOException {
    Path input = TestImages.base("qcow2");
    String inputHash = TestImages.sha256(input);
    Path output = dir.resolve("out/customized.vhdx");
    Path config = withArtifacts(dir.resolve("config"));

    CliRun run = CliRun.customize(dir.resolve("build"), input, config, "vhdx", output);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(TestImages.sha256(input)).as("the input image is unchanged").isEqualTo(inputHash);
    assertThat(output).exists();
    assertThat(dir.resolve("out")).isDirectoryNotContaining("glob:**/.*partial");
    assertThat(dir.resolve("build/image.raw")).doesNotExist();
    assertThat(MountTable.mountPointsUnder(dir)).as("mounts left behind").isEmpty();
    assertThat(LoopDevice.backedBy(new SystemProcessRunner(), dir))
        .as("loop devices left")
        .isEmpty();

    Path artifacts = dir.resolve("config/artifacts");
    String espUuid = esp(output, dir).uuid();
    assertThat(artifacts.resolve("inject-files.yaml"))
        .content()
        .contains(
            "idType: part-uuid",
            "id: " + espUuid,
            "destination: /EFI/BOOT/bootx64.efi",
            "source: ./shim/bootx64.efi",
            "type: shim",
            "source: ./bootloader/grubx64.efi",
            "type: bootloader",
            "- inject-files");
    Path shim = artifacts.resolve("shim/bootx64.efi");
    Path grub = artifacts.resolve("bootloader/grubx64.efi");
    sign(dir, shim);
    sign(dir, grub);

    CliRun inject =
        CliRun.injectFiles(dir.resolve("build"), artifacts.resolve("inject-files.yaml"), output);
    assertThat(inject.code()).as(inject.err()).isZero();
    assertThat(dir.resolve("out")).isDirectoryNotContaining("glob:**/.*partial");
    assertThat(HostCommand.run(dir, "qemu-img", "info", "--output=json", output.toString()))
        .as("written back in the input's format")
        .contains("\"format\": \"vhdx\"");
    Path injectedShim = copyFromEsp(output, dir, "/EFI/BOOT/bootx64.efi");
    assertThat(TestImages.sha256(injectedShim)).isEqualTo(TestImages.sha256(shim));
    assertThat(
            HostCommand.run(
                dir,
                "sbverify",
                "--cert",
                dir.resolve("db.crt").toString(),
                injectedShim.toString()))
        .contains("Signature verification OK");

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
                        "release=1",
                        "apt=gone:nodb:dpkg"));
  }

  /** The customize-everything config, copied, with output.artifacts asked for beside it. */
  private static Path withArtifacts(Path folder) throws IOException {
    Path source = Path.of("src/test/resources/it/customize-everything");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = folder.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    Path config = folder.resolve("config.yaml");
    Files.writeString(
        config,
        Files.readString(config)
                .replace("previewFeatures: [", "previewFeatures: [output-artifacts, ")
            + """
            output:
              artifacts:
                path: ./artifacts
                items: [shim, bootloader]
            """);
    return config;
  }

  /** Signs a PE file in place with a key made for the test, as a signing service would. */
  private static void sign(Path dir, Path file) throws IOException {
    Path key = dir.resolve("db.key");
    Path cert = dir.resolve("db.crt");
    if (!Files.exists(cert)) {
      HostCommand.run(
          dir,
          "openssl",
          "req",
          "-new",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=imagecustomizer test db",
          "-keyout",
          key.toString(),
          "-out",
          cert.toString());
    }
    HostCommand.sign(dir, key, cert, file);
  }

  private static Partition esp(Path image, Path dir) throws IOException {
    Path raw = dir.resolve("look.raw");
    if (!Files.exists(raw)) {
      HostCommand.run(dir, "qemu-img", "convert", "-O", "raw", image.toString(), raw.toString());
    }
    return GptReader.read(raw).stream().filter(Partition::isEsp).findFirst().orElseThrow();
  }

  private static Path copyFromEsp(Path image, Path dir, String path) throws IOException {
    Path raw = dir.resolve("look.raw");
    Files.deleteIfExists(raw);
    long offset = esp(image, dir).offset();
    Path copy = dir.resolve("from-esp.efi");
    HostCommand.run(
        dir, "mcopy", "-n", "-o", "-i", raw + "@@" + offset, "::" + path, copy.toString());
    Files.delete(raw);
    return copy;
  }
}
