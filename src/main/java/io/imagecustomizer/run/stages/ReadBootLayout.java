package io.imagecustomizer.run.stages;

import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.liveos.LiveOsWorkDir;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens the customized working copy read-only for the Live OS media and checks, before any heavy
 * work, that it has what a Live OS boots with (a grub.cfg with a kernel, the kernels, shim and
 * grub). The image stays open until the run ends: the media are built from it.
 */
public final class ReadBootLayout implements RunStage {
  @Override
  public String name() {
    return "read boot layout";
  }

  @Override
  public Set<String> applies() {
    return Set.of();
  }

  @Override
  public void run(RunContext run) {
    Path work = run.createLiveOsWork();
    OsImage image =
        run.resources()
            .push(
                "image",
                OsImage.open(
                    run.runner(),
                    run.workspace().rawImage(),
                    new LiveOsWorkDir(work).imageMount(),
                    true));
    run.liveMedia(LiveOutput.media(run.settings(), null));
    run.liveOs(run.liveOsBuilder().fromImage(image));
  }
}
