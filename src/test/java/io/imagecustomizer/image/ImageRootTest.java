package io.imagecustomizer.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageRootTest {
  @TempDir Path dir;
  private Path host;
  private ImageRoot image;

  @BeforeEach
  void layout() throws IOException {
    host = Files.createDirectories(dir.resolve("host/etc"));
    Path root = Files.createDirectories(dir.resolve("image"));
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("opt"));
    image = new ImageRoot(root);
  }

  @Test
  void absoluteSymlinkStaysInsideTheImage() throws IOException {
    Files.createSymbolicLink(image.hostPath().resolve("opt/escape"), Path.of("/etc"));

    Path written = image.write("/opt/escape/marker", bytes("x"), null);

    assertThat(written).isEqualTo(image.hostPath().resolve("etc/marker"));
    assertThat(image.hostPath().resolve("etc/marker")).hasContent("x");
  }

  @Test
  void symlinkToTheHostFolderStaysInsideTheImage() throws IOException {
    Files.createSymbolicLink(image.hostPath().resolve("opt/host"), host);

    Path written = image.write("/opt/host/marker", bytes("x"), null);

    assertThat(written).startsWith(image.hostPath());
    assertThat(host.resolve("marker")).doesNotExist();
  }

  @Test
  void relativeSymlinkCannotClimbAboveTheRoot() throws IOException {
    Files.createSymbolicLink(image.hostPath().resolve("opt/up"), Path.of("../../../../host/etc"));

    Path written = image.write("/opt/up/marker", bytes("x"), null);

    assertThat(written).isEqualTo(image.hostPath().resolve("host/etc/marker"));
    assertThat(host.resolve("marker")).doesNotExist();
  }

  @Test
  void dotDotStopsAtTheRoot() {
    assertThat(image.resolve("/../../../etc/passwd"))
        .isEqualTo(image.hostPath().resolve("etc/passwd"));
  }

  @Test
  void symlinkLoopIsAClearError() throws IOException {
    Files.createSymbolicLink(image.hostPath().resolve("opt/a"), Path.of("b"));
    Files.createSymbolicLink(image.hostPath().resolve("opt/b"), Path.of("a"));

    assertThatThrownBy(() -> image.resolve("/opt/a/file"))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining("too many symlinks");
  }

  @Test
  void finalSymlinkIsFollowedInsideTheImage() throws IOException {
    Files.createSymbolicLink(image.hostPath().resolve("etc/resolv.conf"), Path.of("/run/resolv"));

    image.write("/etc/resolv.conf", bytes("nameserver 192.0.2.1\n"), null);

    assertThat(image.hostPath().resolve("run/resolv")).hasContent("nameserver 192.0.2.1");
    assertThat(Files.isSymbolicLink(image.hostPath().resolve("etc/resolv.conf"))).isTrue();
  }

  @Test
  void writeCreatesParentsAndSetsModes() throws IOException {
    Path written =
        image.write(
            "/usr/local/lib/x/tool",
            bytes("#!/bin/sh\n"),
            PosixFilePermissions.fromString("rwxr-x---"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written)))
        .isEqualTo("rwxr-x---");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(image.hostPath().resolve("usr/local/lib/x"))))
        .isEqualTo("rwxr-xr-x");
  }

  @Test
  void copyKeepsTheSourceModeByDefault() throws IOException {
    Path source = Files.writeString(dir.resolve("script.sh"), "echo hi\n");
    Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rwxr-xr--"));

    Path copied = image.copyFile(source, "/opt/script.sh", null);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copied)))
        .isEqualTo("rwxr-xr--");
  }

  @Test
  void writingOverAFolderIsAnError() {
    assertThatThrownBy(() -> image.write("/etc", bytes("x"), null))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining("is a folder");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
