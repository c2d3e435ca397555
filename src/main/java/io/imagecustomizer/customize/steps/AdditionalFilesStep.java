package io.imagecustomizer.customize.steps;

import io.imagecustomizer.config.AdditionalFile;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import java.util.Set;

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
  public Set<String> applies() {
    return Set.of("os.additionalFiles");
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return context.os().map(os -> !os.additionalFiles().isEmpty()).orElse(false);
  }

  @Override
  public void run(CustomizeContext context) {
    for (AdditionalFile file : context.os().orElseThrow().additionalFiles()) {
      context.root().add(file, context.loaded());
    }
  }
}
