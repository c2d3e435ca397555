package io.imagecustomizer.customize.steps;

import io.imagecustomizer.config.AdditionalFile;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import java.nio.charset.StandardCharsets;

/**
 * {@code os.additionalFiles}: each copied from its source (mode kept unless {@code permissions}) or
 * written from its content (0644 unless {@code permissions}), replacing what is there.
 */
public final class AdditionalFilesStep implements Step {
  @Override
  public String name() {
    return "additional files";
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return context.os().map(os -> !os.additionalFiles().isEmpty()).orElse(false);
  }

  @Override
  public void run(CustomizeContext context) {
    for (AdditionalFile file : context.os().orElseThrow().additionalFiles()) {
      if (file.source() != null) {
        context
            .root()
            .copyFile(
                context.configPath(file.source()),
                file.destination(),
                Modes.parse(file.permissions()));
      } else {
        context
            .root()
            .write(
                file.destination(),
                file.content().getBytes(StandardCharsets.UTF_8),
                Modes.parse(file.permissions()));
      }
    }
  }
}
