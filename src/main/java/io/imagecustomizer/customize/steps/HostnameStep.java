package io.imagecustomizer.customize.steps;

import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** {@code os.hostname}: written to /etc/hostname. */
public final class HostnameStep implements Step {
  @Override
  public String name() {
    return "hostname";
  }

  @Override
  public Set<String> applies() {
    return Set.of("os.hostname");
  }

  @Override
  public boolean perConfig() {
    return false;
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return context.os().map(os -> os.hostname() != null).orElse(false);
  }

  @Override
  public void run(CustomizeContext context) {
    String hostname = context.os().orElseThrow().hostname();
    context.root().write("/etc/hostname", (hostname + "\n").getBytes(StandardCharsets.UTF_8), null);
  }
}
