package io.imagecustomizer.run.stages;

import io.imagecustomizer.image.format.DiskFormat;
import io.imagecustomizer.image.format.ImageProbe;
import io.imagecustomizer.image.format.QemuImg;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes the raw working copy of a disk input in the build folder; the input is only read. */
public final class ConvertToRaw implements RunStage {
  private static final Logger LOG = LoggerFactory.getLogger(ConvertToRaw.class);

  @Override
  public String name() {
    return "convert to raw";
  }

  @Override
  public Set<String> applies() {
    return Set.of("input.image.path");
  }

  @Override
  public void run(RunContext run) {
    Path input = run.settings().inputImage();
    Path raw = run.workspace().rawImage();
    DiskFormat format = DiskFormat.detect(input);
    run.resources().push("working copy " + raw, () -> Files.deleteIfExists(raw));
    LOG.info("Converting {} ({}) to a raw working copy", input, format);
    new QemuImg(run.runner()).toRaw(new ImageProbe.Source(input, format), raw);
  }
}
