package io.imagecustomizer.liveos;

import io.imagecustomizer.config.InitramfsType;
import java.util.List;

/**
 * The Live OS settings written onto the media ({@code /azl-image-customizer/saved-configs.yaml},
 * upstream's place), so that a later run taking this ISO as input knows how it was made.
 */
final class SavedConfig {
  private SavedConfig() {}

  static String render(InitramfsType type, List<String> extraArgs) {
    StringBuilder yaml = new StringBuilder("iso:\n  initramfsType: ").append(type).append('\n');
    yaml.append("  kernelCommandLine:\n    extraCommandLine:");
    if (extraArgs.isEmpty()) {
      yaml.append(" []\n");
    } else {
      yaml.append('\n');
      for (String arg : extraArgs) {
        yaml.append("    - '").append(arg.replace("'", "''")).append("'\n");
      }
    }
    return yaml.toString();
  }
}
