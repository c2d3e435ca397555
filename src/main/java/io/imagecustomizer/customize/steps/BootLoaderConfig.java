package io.imagecustomizer.customize.steps;

import io.imagecustomizer.boot.GrubConfig;
import io.imagecustomizer.boot.MainGrubConfig;
import io.imagecustomizer.image.ImageRoot;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/** Edits of the image's main grub.cfg ({@link MainGrubConfig}) by the disk steps. */
final class BootLoaderConfig {
  private BootLoaderConfig() {}

  /** Applies {@code edit} to the kernel command lines of the main grub.cfg. */
  static void edit(ImageRoot root, String why, UnaryOperator<GrubConfig> edit) {
    MainGrubConfig grub = MainGrubConfig.read(root, why);
    root.write(
        grub.path(), edit.apply(grub.config()).text().getBytes(StandardCharsets.UTF_8), null);
  }
}
