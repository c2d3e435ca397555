package io.imagecustomizer.run.stages;

import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.image.format.QemuImg;
import io.imagecustomizer.run.Publish;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the working copy as the output disk format with qemu-img. */
public final class WriteDiskImage implements RunStage {
  private static final Logger LOG = LoggerFactory.getLogger(WriteDiskImage.class);

  @Override
  public String name() {
    return "write disk image";
  }

  @Override
  public Set<String> applies() {
    return Set.of("output.image.path", "output.image.format");
  }

  @Override
  public void run(RunContext run) {
    RunSettings settings = run.settings();
    LOG.debug("Writing {} ({})", settings.outputPath(), settings.outputFormat());
    QemuImg qemuImg = new QemuImg(run.runner());
    run.published(
        List.of(
            Publish.file(
                settings.outputPath(),
                partial ->
                    qemuImg.fromRaw(
                        run.workspace().rawImage(), settings.outputFormat(), partial))));
  }
}
