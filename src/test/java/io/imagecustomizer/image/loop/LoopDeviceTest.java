package io.imagecustomizer.image.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LoopDeviceTest {
  @Test
  void listsOnlyDevicesStillAttachedOverTheFolder() {
    String listing =
        """
        /dev/loop0         0 /work/build/image.raw
        /dev/loop1         1 /work/build/image.raw
        /dev/loop2         0 /other/disk.img
        /dev/loop3         0 /work/build/liveos-1/x.img (deleted)
        """;
    assertThat(LoopDevice.attachedUnder(listing, Path.of("/work/build")))
        .containsExactly("/dev/loop0", "/dev/loop3");
  }

  @Test
  void listsEveryDeviceOverAFileAlsoThoseWaitingToBeFreed() {
    String listing =
        """
        /dev/loop0         0 /work/build/image.raw
        /dev/loop1         1 /work/build/image.raw
        /dev/loop2         0 /other/disk.img
        """;
    assertThat(LoopDevice.over(listing, Path.of("/work/build/image.raw"), false))
        .containsExactly("/dev/loop0", "/dev/loop1");
  }
}
