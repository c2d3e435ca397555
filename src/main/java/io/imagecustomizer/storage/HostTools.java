package io.imagecustomizer.storage;

import io.imagecustomizer.error.ImageCustomizerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Host programs a storage change needs, checked before any work so the error names a package. */
final class HostTools {
  private HostTools() {}

  /**
   * Fails unless every program of {@code packages} (program name to the Debian/Azure Linux package
   * that has it) is on the host's PATH.
   */
  static void require(Map<String, String> packages, String why) {
    List<String> missing = new ArrayList<>();
    packages.forEach(
        (program, pkg) -> {
          if (!onPath(program)) {
            missing.add(program + " (package " + pkg + ")");
          }
        });
    if (!missing.isEmpty()) {
      missing.sort(null);
      throw new ImageCustomizerException(
          why + " needs programs this host lacks: " + String.join(", ", missing),
          "install them on the host, e.g. apt-get install or tdnf install of the packages named");
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
