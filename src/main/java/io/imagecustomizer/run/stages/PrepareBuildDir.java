package io.imagecustomizer.run.stages;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.resource.MountTable;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the build folder and undoes what a killed earlier run left mounted or attached in it. */
public final class PrepareBuildDir implements RunStage {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareBuildDir.class);

  @Override
  public String name() {
    return "prepare build dir";
  }

  @Override
  public Set<String> applies() {
    return Set.of();
  }

  @Override
  public void run(RunContext run) {
    Path buildDir = run.workspace().buildDir();
    try {
      Files.createDirectories(buildDir);
    } catch (IOException e) {
      throw new ImageCustomizerException(
          "cannot create " + buildDir + ": " + e.getMessage(),
          "check the path and its permissions",
          e);
    }
    for (Path mount : MountTable.mountPointsUnder(buildDir)) {
      LOG.warn("{} is still mounted from an earlier run; unmounting it", mount);
      run.runner().run(Command.of("umount", "--lazy", mount.toString()));
    }
    for (String device : LoopDevice.backedBy(run.runner(), buildDir)) {
      LOG.warn("{} is still attached from an earlier run; detaching it", device);
      LoopDevice.detach(run.runner(), device);
    }
  }
}
