package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.config.InitramfsType;
import io.imagecustomizer.config.SquashfsCompression;
import io.imagecustomizer.format.RecordingRunner;
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
      new LiveOsIsoBuilder(runner, SquashfsCompression.ZSTD, null, new Progress());

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
                false),
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
        .fill(new LiveMedia(InitramfsType.BOOTSTRAP, List.of(), List.of(), null, true), dir);

    assertThat(new LiveOsWorkDir(dir).pxeGrubConfig()).doesNotExist();
  }

  private MediaDir stagedIso() throws IOException {
    MediaDir media = new LiveOsWorkDir(dir).media();
    Files.createDirectories(media.grubConfig().getParent());
    Files.writeString(media.grubConfig(), EARLIER);
    Files.writeString(media.kernel("6.1.0"), "");
    return media;
  }
}
