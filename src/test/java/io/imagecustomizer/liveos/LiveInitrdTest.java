package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveInitrdTest {
  @TempDir Path dir;

  @Test
  void addsNetworkLegacyWhereTheImageHasIt() throws IOException {
    Files.createDirectories(dir.resolve("usr/lib/dracut/modules.d/90dmsquash-live"));
    Files.createDirectories(dir.resolve("usr/lib/dracut/modules.d/35network-legacy"));

    assertThat(LiveInitrd.modules(new ImageRoot(dir)))
        .containsExactly("dmsquash-live", "livenet", "network-legacy");
  }

  @Test
  void findsModulesInLibToo() throws IOException {
    Files.createDirectories(dir.resolve("lib/dracut/modules.d/90dmsquash-live"));

    assertThat(LiveInitrd.modules(new ImageRoot(dir))).containsExactly("dmsquash-live", "livenet");
  }

  @Test
  void anImageWithoutDmsquashLiveIsRefused() throws IOException {
    Files.createDirectories(dir.resolve("usr/lib/dracut/modules.d/90dmsquash-live-ntfs"));

    assertThatThrownBy(() -> LiveInitrd.modules(new ImageRoot(dir)))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining("no dmsquash-live module");
  }

  @Test
  void dracutIsAlwaysAskedForAReproducibleInitrd() {
    assertThat(LiveInitrd.command(List.of("dmsquash-live", "livenet"), "6.1.0-13-amd64"))
        .startsWith("dracut", "--force", "--no-hostonly", "--reproducible")
        .containsSequence("--kver", "6.1.0-13-amd64", "--add", "dmsquash-live livenet");
  }

  @Test
  void dracutWritesOnlyIntoTheChrootsTmpSoTheImageCanBeReadOnly() {
    List<String> command = LiveInitrd.command(List.of("dmsquash-live"), "6.1.0-13-amd64");

    assertThat(command).containsSequence("--tmpdir", "/tmp");
    assertThat(command.get(command.size() - 1)).startsWith("/tmp/");
  }
}
