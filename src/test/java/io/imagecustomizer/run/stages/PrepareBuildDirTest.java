package io.imagecustomizer.run.stages;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.run.Workspace;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PrepareBuildDirTest {
  private final Workspace workspace = new Workspace(Path.of("/srv/build"));

  @Test
  void ourFoldersAreOurs() {
    assertThat(PrepareBuildDir.isOurs(workspace, Path.of("/srv/build/imageroot"))).isTrue();
    assertThat(PrepareBuildDir.isOurs(workspace, Path.of("/srv/build/imageroot/boot"))).isTrue();
    assertThat(PrepareBuildDir.isOurs(workspace, Path.of("/srv/build/imageroot-probe"))).isTrue();
    assertThat(PrepareBuildDir.isOurs(workspace, Path.of("/srv/build/newimageroot/home"))).isTrue();
    assertThat(PrepareBuildDir.isOurs(workspace, Path.of("/srv/build/newimageroot-top"))).isTrue();
    assertThat(PrepareBuildDir.isOurs(workspace, Path.of("/srv/build/liveos-123/image/proc")))
        .isTrue();
  }

  @Test
  void theBuildDirsOwnMountAndTheUsersMountsAreNot() {
    assertThat(PrepareBuildDir.isOurs(workspace, Path.of("/srv/build"))).isFalse();
    assertThat(PrepareBuildDir.isOurs(workspace, Path.of("/srv/build/cache"))).isFalse();
    assertThat(PrepareBuildDir.isOurs(workspace, Path.of("/srv/build/liveos"))).isFalse();
    assertThat(PrepareBuildDir.isOurs(workspace, Path.of("/srv/build/imageroot2"))).isFalse();
    assertThat(PrepareBuildDir.isOurs(workspace, Path.of("/srv/other/imageroot"))).isFalse();
  }
}
