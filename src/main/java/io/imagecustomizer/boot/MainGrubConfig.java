package io.imagecustomizer.boot;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import java.util.List;

/**
 * The grub.cfg that boots an image's kernel, and where it was found. The disk steps edit its kernel
 * arguments and a Live OS starts from it; both must refuse a redirect to another grub.cfg, whose
 * edits would never reach a kernel.
 */
public record MainGrubConfig(String path, GrubConfig config) {
  /** {@code /boot/grub2} on Azure Linux and Fedora, {@code /boot/grub} on Debian and Ubuntu. */
  public static final List<String> LOCATIONS =
      List.of("/boot/grub2/grub.cfg", "/boot/grub/grub.cfg");

  /**
   * The first of {@link #LOCATIONS} the image has; it must carry a {@code linux} command.
   *
   * @param why what it is read for ("add kernel arguments"), to start the error messages
   */
  public static MainGrubConfig read(ImageRoot root, String why) {
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
    return new MainGrubConfig(path, config);
  }
}
