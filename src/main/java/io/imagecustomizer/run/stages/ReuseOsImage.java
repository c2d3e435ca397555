package io.imagecustomizer.run.stages;

import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the config changes only the media of an ISO input, its OS image and initrds are kept as they
 * are: only grub.cfg, the media files and the saved config are written again.
 */
public final class ReuseOsImage implements RunStage {
  private static final Logger LOG = LoggerFactory.getLogger(ReuseOsImage.class);

  @Override
  public String name() {
    return "reuse os image";
  }

  @Override
  public Set<String> applies() {
    return Set.of();
  }

  @Override
  public boolean isNeeded(RunContext run) {
    return !UnpackOs.isNeededFor(run);
  }

  @Override
  public void run(RunContext run) {
    LOG.info("The config changes only the media: reusing the ISO's OS image as it is");
    run.liveOs(run.liveOsBuilder().repackage());
  }
}
