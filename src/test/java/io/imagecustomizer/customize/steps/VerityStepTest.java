package io.imagecustomizer.customize.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerityStepTest {
  @TempDir Path dir;

  private void touch(String path) throws IOException {
    Path file = dir.resolve(path.substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, "");
  }

  @Test
  void namesEverythingAnImageLacksToOpenVerityDevices() throws IOException {
    touch("/usr/sbin/dracut");
    Files.createDirectories(dir.resolve("usr/lib/dracut/modules.d/90dm"));

    assertThat(VerityStep.missing(new ImageRoot(dir)))
        .containsExactly(
            "dracut's systemd-veritysetup module",
            "systemd-veritysetup",
            "systemd-veritysetup-generator",
            "dmsetup");
  }

  @Test
  void aDebianImageHasAllOfIt() throws IOException {
    touch("/usr/bin/dracut");
    Files.createDirectories(dir.resolve("usr/lib/dracut/modules.d/01systemd-veritysetup"));
    touch("/usr/lib/systemd/systemd-veritysetup");
    touch("/usr/lib/systemd/system-generators/systemd-veritysetup-generator");
    touch("/usr/sbin/dmsetup");

    assertThat(VerityStep.missing(new ImageRoot(dir))).isEmpty();
  }

  @Test
  void pointsTheVerityMountsFstabLineAtItsDeviceMapperPath() {
    String fstab =
        """
        # /usr on its own partition
        UUID=1111 / ext4 defaults 0 1
        PARTUUID=2222\t/usr  ext4 ro 0 2
        """;

    assertThat(VerityStep.withSources(fstab, java.util.Map.of("/usr", "/dev/mapper/usr")))
        .isEqualTo(
            """
            # /usr on its own partition
            UUID=1111 / ext4 defaults 0 1
            /dev/mapper/usr /usr ext4 ro 0 2
            """);
  }
}
