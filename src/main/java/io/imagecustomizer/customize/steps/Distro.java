package io.imagecustomizer.customize.steps;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The image's distribution, from its os-release file. */
record Distro(String id, List<String> idLike, String versionId) {
  static Distro of(ImageRoot root) {
    String file =
        List.of("/etc/os-release", "/usr/lib/os-release").stream()
            .filter(root::exists)
            .findFirst()
            .orElseThrow(
                () ->
                    new ImageCustomizerException(
                        "the image has no /etc/os-release or /usr/lib/os-release",
                        "the tool needs it to know the image's distribution"));
    Map<String, String> fields = new HashMap<>();
    for (String line : root.readString(file).lines().toList()) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, eq).trim(), unquote(line.substring(eq + 1).trim()));
      }
    }
    return new Distro(
        fields.getOrDefault("ID", "linux"),
        Arrays.stream(fields.getOrDefault("ID_LIKE", "").split("\\s+"))
            .filter(s -> !s.isEmpty())
            .toList(),
        fields.getOrDefault("VERSION_ID", ""));
  }

  boolean is(String family) {
    return id.equals(family) || idLike.contains(family);
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
