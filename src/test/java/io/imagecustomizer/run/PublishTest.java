package io.imagecustomizer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessResult;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.resource.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishTest {
  @Test
  void aFileComesWithAChecksumThatSha256sumChecks(@TempDir Path dir) throws IOException {
    Path output = dir.resolve("out/live.iso");

    Artifact artifact = Publish.file(output, partial -> write(partial, "media"));

    assertThat(output).hasContent("media");
    assertThat(artifact.size()).isEqualTo(5);
    assertThat(dir.resolve("out/live.iso.sha256"))
        .hasContent(artifact.sha256() + "  live.iso")
        .satisfies(sums -> assertThat(Files.readString(sums)).endsWith("\n"));
    assertThat(sha256sumCheck(dir.resolve("out"), "live.iso.sha256").stdout())
        .isEqualTo("live.iso: OK\n");
    assertThat(dir.resolve("out")).isDirectoryNotContaining("glob:**/.*.partial");
  }

  @Test
  void aFailedWriteLeavesNeitherTheOutputNorAStaleChecksum(@TempDir Path dir) throws IOException {
    Path output = dir.resolve("disk.qcow2");
    Publish.file(output, partial -> write(partial, "old"));

    assertThatThrownBy(
            () ->
                Publish.file(
                    output,
                    partial -> {
                      write(partial, "half");
                      throw new IllegalStateException("writer failed");
                    }))
        .hasMessage("writer failed");

    assertThat(output).hasContent("old");
    assertThat(sha256sumCheck(dir, "disk.qcow2.sha256").exitCode()).isZero();
    assertThat(dir).isDirectoryNotContaining("glob:**/.*.partial");
  }

  @Test
  void aFolderListsEveryFileInSha256Sums(@TempDir Path dir) throws IOException {
    Path output = dir.resolve("pxe");
    Files.createDirectories(output);
    write(output.resolve("stale"), "from an earlier run");

    List<Artifact> files =
        Publish.folder(
            output,
            folder -> {
              write(folder.resolve("vmlinuz"), "kernel");
              write(folder.resolve("boot/grub2/grub.cfg"), "menu");
            });

    assertThat(files)
        .extracting(Artifact::path)
        .containsExactly(output.resolve("boot/grub2/grub.cfg"), output.resolve("vmlinuz"));
    assertThat(Files.readAllLines(output.resolve(Sha256.SUMS)))
        .containsExactly(
            files.get(0).sha256() + "  boot/grub2/grub.cfg", files.get(1).sha256() + "  vmlinuz");
    ProcessResult check = sha256sumCheck(output, Sha256.SUMS);
    assertThat(check.stdout()).isEqualTo("boot/grub2/grub.cfg: OK\nvmlinuz: OK\n");
    assertThat(output.resolve("stale")).doesNotExist();
  }

  private static ProcessResult sha256sumCheck(Path dir, String sums) {
    return new SystemProcessRunner()
        .runAllowingFailure(
            Command.of("sh", "-c", "cd \"$0\" && sha256sum -c \"$1\"", dir.toString(), sums));
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
