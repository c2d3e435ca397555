package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.config.KdumpBootFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KdumpFilesTest {
  @TempDir Path dir;
  Path boot;
  Path held;

  @BeforeEach
  void osBoot() throws IOException {
    boot = Files.createDirectories(dir.resolve("os/boot"));
    held = dir.resolve("held");
    for (String name :
        new String[] {
          "vmlinuz-6.1.0",
          "initramfs-6.1.0.img",
          "initramfs-6.1.0kdump.img",
          "config-6.1.0",
          "vmlinuz-6.2.0",
          "initramfs-6.2.0.img"
        }) {
      Files.writeString(boot.resolve(name), name);
    }
  }

  @Test
  void findsEachKdumpInitrdWithItsKernel() {
    assertThat(KdumpFiles.find(boot))
        .containsExactly(boot.resolve("initramfs-6.1.0kdump.img"), boot.resolve("vmlinuz-6.1.0"));
  }

  @Test
  void keepPutsThemBackIntoTheOsBootClosedToOthers() throws IOException {
    Path media = dir.resolve("media/boot");
    KdumpFiles.hold(boot, held);
    FileOps.emptyFolder(boot);

    KdumpFiles.place(KdumpBootFiles.KEEP, held, boot, media);

    assertThat(boot.resolve("initramfs-6.1.0kdump.img")).hasContent("initramfs-6.1.0kdump.img");
    assertThat(boot.resolve("vmlinuz-6.1.0")).exists();
    assertThat(boot.resolve("initramfs-6.1.0.img")).doesNotExist();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(boot)))
        .isEqualTo("rwx------");
    assertThat(media).doesNotExist();
  }

  @Test
  void keepInASquashfsIsPseudoDefinitionsForTheHeldFiles() throws IOException {
    KdumpFiles.hold(boot, held);
    Files.setLastModifiedTime(
        held.resolve("vmlinuz-6.1.0"), java.nio.file.attribute.FileTime.fromMillis(42_000));

    List<String> definitions = KdumpFiles.keptInSquashfs(held, boot);

    assertThat(definitions).hasSize(3);
    assertThat(definitions.get(0)).matches("boot m 700 \\d+ \\d+");
    assertThat(definitions.get(1))
        .startsWith("boot/initramfs-6.1.0kdump.img F ")
        .endsWith(" cat '" + held.resolve("initramfs-6.1.0kdump.img") + "'");
    assertThat(definitions.get(2)).matches("boot/vmlinuz-6.1.0 F 42 [0-7]+ \\d+ \\d+ cat '.*'");
  }

  @Test
  void keepInASquashfsWithoutKdumpFilesLeavesBootAsItIs() {
    assertThat(KdumpFiles.keptInSquashfs(held, boot)).isEmpty();
  }

  @Test
  void nonePutsThemOnTheMedia() {
    Path media = dir.resolve("media/boot");
    KdumpFiles.hold(boot, held);
    FileOps.emptyFolder(boot);

    KdumpFiles.place(KdumpBootFiles.NONE, held, boot, media);

    assertThat(media.resolve("initramfs-6.1.0kdump.img")).exists();
    assertThat(boot).isEmptyDirectory();
  }

  @Test
  void withoutTheFieldTheyAreDropped() {
    Path media = dir.resolve("media/boot");
    KdumpFiles.hold(boot, held);
    FileOps.emptyFolder(boot);

    KdumpFiles.place(null, held, boot, media);

    assertThat(boot).isEmptyDirectory();
    assertThat(media).doesNotExist();
  }
}
