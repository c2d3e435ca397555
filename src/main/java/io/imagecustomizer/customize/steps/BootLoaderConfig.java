package io.imagecustomizer.customize.steps;

import io.imagecustomizer.boot.GrubConfig;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The image's main grub.cfg: {@code /boot/grub2/grub.cfg} (Azure Linux, Fedora) or {@code
 * /boot/grub/grub.cfg} (Debian, Ubuntu).
 */
final class BootLoaderConfig {
  static final List<String> LOCATIONS = List.of("/boot/grub2/grub.cfg", "/boot/grub/grub.cfg");

  private BootLoaderConfig() {}

  /** Applies {@code edit} to the kernel command lines of the main grub.cfg. */
  static void edit(ImageRoot root, String why, UnaryOperator<GrubConfig> edit) {
    String path =
        LOCATIONS.stream()
            .filter(root::exists)
            .findFirst()
            .orElseThrow(
                () ->
                    new ImageCustomizerException(
                        "cannot " + why + ": the image has no " + String.join(" or ", LOCATIONS),
                        "the image must boot with GRUB and keep its config in one of these files"));
    GrubConfig config = GrubConfig.parse(root.readString(path));
    if (!config.hasLinuxCommand()) {
      throw new ImageCustomizerException(
          "cannot " + why + ": " + path + " has no 'linux' command",
          "it looks like a redirect to another grub.cfg; the main config must be at " + path);
    }
    root.write(path, edit.apply(config).text().getBytes(StandardCharsets.UTF_8), null);
  }
}
