package io.imagecustomizer.customize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.image.OsImage;
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

/**
 * {@code --rpm-source} with a real dnf: an RPM-based image made from the Debian test image (Debian
 * packages dnf and rpm), packages built here with rpmbuild, installed from a plain folder and from
 * a .repo file's local repo, and the result booted.
 */
class RpmSourceIT {
  private static final Path IT = Path.of("src/test/resources/it/rpm-source");

  @BeforeAll
  static void needsRootLoopDevicesAndRpmbuild() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  @Test
  void packagesFromAFolderAndARepoFileAreInstalledWithDnf(@TempDir Path dir) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("my-rpms"));
    buildRpm(dir, "imagecustomizer-hello", folder);
    Path repos = Files.createDirectories(dir.resolve("repos"));
    Path repoTwo = Files.createDirectories(repos.resolve("repo-two"));
    buildRpm(dir, "imagecustomizer-hello-two", repoTwo);
    run(List.of("createrepo_c", "--quiet", repoTwo.toString()), dir);
    Path repoFile = Files.copy(IT.resolve("local.repo"), repos.resolve("local.repo"));

    Path rpmImage = dir.resolve("rpm-image.raw");
    CliRun made =
        CliRun.customize(
            dir.resolve("build"),
            TestImages.base("raw"),
            IT.resolve("rpm-image.yaml"),
            "raw",
            rpmImage);
    assertThat(made.code()).as(made.err()).isZero();

    Path output = dir.resolve("installed.qcow2");
    CliRun installed =
        CliRun.run(
            "--build-dir",
            dir.resolve("build").toString(),
            "--image-file",
            rpmImage.toString(),
            "--config-file",
            IT.resolve("install.yaml").toString(),
            "--output-image-format",
            "qcow2",
            "--output-image-file",
            output.toString(),
            "--rpm-source",
            folder.toString(),
            "--rpm-source",
            repoFile.toString(),
            "--disable-base-image-rpm-repos");
    assertThat(installed.code()).as(installed.err()).isZero();

    try (Stream<Path> files = Files.list(folder)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("the user's folder is not indexed in place")
          .containsExactly("imagecustomizer-hello-1.0-1.noarch.rpm");
    }
    assertThat(dir.resolve("build")).isDirectoryNotContaining("glob:**/rpm-source-*");
    Path raw = dir.resolve("installed.raw");
    run(List.of("qemu-img", "convert", "-O", "raw", output.toString(), raw.toString()), dir);
    try (OsImage image = OsImage.open(new SystemProcessRunner(), raw, dir.resolve("look"), true)) {
      assertThat(image.root().exists("/_localrpms")).as("no trace of the repos").isFalse();
    }

    BootResult boot =
        BootHarness.boot(
            "rpm-source", new BootHarness.Disk(output, "qcow2"), Duration.ofMinutes(6));
    assertThat(boot.booted()).as(boot.toString()).isTrue();
    assertThat(boot.check("70-rpm"))
        .hasValue(
            "imagecustomizer-hello imagecustomizer-hello-two hello from imagecustomizer-hello"
                + " hello from imagecustomizer-hello-two");
  }

  /** A noarch RPM with one file, {@code /usr/share/<name>/hello.txt}, written into {@code to}. */
  private static void buildRpm(Path dir, String name, Path to) throws Exception {
    Path spec = dir.resolve(name + ".spec");
    Files.writeString(
        spec,
        String.join(
            "\n",
            "Name: " + name,
            "Version: 1.0",
            "Release: 1",
            "Summary: imagecustomizer test package",
            "License: MIT",
            "BuildArch: noarch",
            "AutoReqProv: no",
            "%description",
            "A file to find in the image.",
            "%install",
            "mkdir -p %{buildroot}/usr/share/" + name,
            "echo 'hello from " + name + "' > %{buildroot}/usr/share/" + name + "/hello.txt",
            "%files",
            "/usr/share/" + name + "/hello.txt",
            ""));
    Path top = dir.resolve("rpmbuild");
    run(List.of("rpmbuild", "-bb", "--define", "_topdir " + top, spec.toString()), dir);
    Files.copy(
        top.resolve("RPMS/noarch/" + name + "-1.0-1.noarch.rpm"),
        to.resolve(name + "-1.0-1.noarch.rpm"));
  }

  private static void run(List<String> argv, Path dir) throws IOException, InterruptedException {
    Path log = dir.resolve("host-command.log");
    Process process =
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(process.waitFor()).as(argv + ": " + Files.readString(log)).isZero();
  }
}
