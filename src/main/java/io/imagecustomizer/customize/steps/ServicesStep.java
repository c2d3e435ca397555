package io.imagecustomizer.customize.steps;

import io.imagecustomizer.config.Os;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import java.util.Set;

/** {@code os.services}: enabled and disabled with the image's systemctl (works offline). */
public final class ServicesStep implements Step {
  @Override
  public String name() {
    return "services";
  }

  @Override
  public Set<String> applies() {
    return Set.of("os.services");
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return context
        .os()
        .map(Os::services)
        .map(s -> !s.enable().isEmpty() || !s.disable().isEmpty())
        .orElse(false);
  }

  @Override
  public void run(CustomizeContext context) {
    Os.Services services = context.os().orElseThrow().services();
    for (String service : services.enable()) {
      context.shell().run("enable service " + service, "systemctl", "enable", service);
    }
    for (String service : services.disable()) {
      context.shell().run("disable service " + service, "systemctl", "disable", service);
    }
  }
}
