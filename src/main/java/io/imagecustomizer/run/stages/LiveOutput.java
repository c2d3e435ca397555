package io.imagecustomizer.run.stages;

import io.imagecustomizer.config.InitramfsType;
import io.imagecustomizer.config.OutputFormat;
import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.liveos.LiveMedia;
import org.jspecify.annotations.Nullable;

/** Which section of the config describes this run's Live OS output. */
final class LiveOutput {
  private LiveOutput() {}

  /**
   * The config's {@code iso} or {@code pxe} section, by output format; {@code inputType} is an ISO
   * input's own initramfs type, kept where the section names none.
   */
  static LiveMedia media(RunSettings settings, @Nullable InitramfsType inputType) {
    return settings.outputFormat() == OutputFormat.ISO
        ? LiveMedia.of(settings.config().iso(), inputType)
        : LiveMedia.of(settings.config().pxe(), inputType);
  }
}
