package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.config.ConfigLoader;
import io.imagecustomizer.config.InitramfsType;
import io.imagecustomizer.config.SquashfsCompression;
import io.imagecustomizer.format.RecordingRunner;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessResult;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveOsIsoBuilderTest {
  private static final String EARLIER =
      "search --no-floppy --label CDROM --set root\n"
          + "menuentry \"Debian\" {\n"
          + "\tlinux /boot/vmlinuz-6.1.0 root=live:LABEL=CDROM ro quiet\n"
          + "\tinitrd /boot/initramfs-6.1.0.img\n"
          + "}\n";

  @TempDir Path dir;
  private final RecordingRunner runner = new RecordingRunner("");
  private final LiveOsIsoBuilder builder =
      new LiveOsIsoBuilder(runner, SquashfsCompression.DEFAULT, null, new Progress());

  @Test
  void repackagingRewritesOnlyTheGrubConfigs() throws IOException {
    MediaDir media = stagedIso();

    builder
        .repackage()
        .fill(
            new LiveMedia(
                InitramfsType.BOOTSTRAP,
                List.of("quiet", "ds=nocloud"),
                List.of(),
                "http://x/a.iso",
                false,
                null),
            dir);

    assertThat(Files.readString(media.grubConfig()))
        .contains("\tlinux /boot/vmlinuz-6.1.0 root=live:LABEL=CDROM ro quiet ", " ds=nocloud")
        .contains("\tinitrd /boot/initramfs-6.1.0.img");
    assertThat(Files.readString(new LiveOsWorkDir(dir).pxeGrubConfig()))
        .contains("root=live:http://x/a.iso", "ip=dhcp")
        .doesNotContain("search");
    assertThat(runner.lines()).isEmpty();
  }

  @Test
  void bootstrapWithoutAUrlHasNoPxeGrubConfig() throws IOException {
    stagedIso();

    builder
        .repackage()
        .fill(new LiveMedia(InitramfsType.BOOTSTRAP, List.of(), List.of(), null, true, null), dir);

    assertThat(new LiveOsWorkDir(dir).pxeGrubConfig()).doesNotExist();
  }

  @Test
  void pxeTarUnpacksToAFolderThatSha256sumChecks() throws IOException {
    MediaDir media = stagedIso();
    Files.createDirectories(media.shim().getParent());
    Files.writeString(media.shim(), "shim");
    Files.writeString(media.grub(), "grub");
    Files.writeString(media.fullOsInitrd(), "the whole OS");
    Path tar = dir.resolve("pxe.tar.gz");

    builder.buildPxeTar(
        builder.repackage(),
        new LiveMedia(InitramfsType.FULL_OS, List.of(), List.of(), null, false, null),
        ConfigLoader.load(
            Path.of("src/test/resources/config/valid/liveos-iso-media-cloud-init.yaml")),
        dir,
        tar);

    Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
    SystemProcessRunner host = new SystemProcessRunner();
    host.run(Command.of("tar", "-xzf", tar.toString(), "-C", unpacked.toString()));
    ProcessResult check =
        host.run(
            Command.of("sh", "-c", "cd \"$0\" && sha256sum -c SHA256SUMS", unpacked.toString()));
    assertThat(check.stdout())
        .contains(
            "bootx64.efi: OK", "grubx64.efi: OK", "boot/initrd.img: OK", "boot/grub2/grub.cfg: OK");
  }

  private MediaDir stagedIso() throws IOException {
    MediaDir media = new LiveOsWorkDir(dir).media();
    Files.createDirectories(media.grubConfig().getParent());
    Files.writeString(media.grubConfig(), EARLIER);
    Files.writeString(media.kernel("6.1.0"), "");
    return media;
  }
}
