package io.imagecustomizer.customize.steps;

import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/** Writes /etc/image-customizer-release: tool version, build time and this image's id. */
public final class ReleaseFileStep implements Step {
  static final String PATH = "/etc/image-customizer-release";

  /** Upstream's build time format, in the release file and the image history. */
  static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  @Override
  public String name() {
    return "release file";
  }

  @Override
  public Set<String> applies() {
    return Set.of();
  }

  @Override
  public boolean perConfig() {
    return false;
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return true;
  }

  @Override
  public void run(CustomizeContext context) {
    String text =
        "TOOL_VERSION=\""
            + context.toolVersion()
            + "\"\nBUILD_DATE=\""
            + UTC.format(context.buildTime())
            + "\"\nIMAGE_UUID=\""
            + context.imageUuid()
            + "\"\n\n";
    context.root().write(PATH, text.getBytes(StandardCharsets.UTF_8), null);
  }
}
