package io.imagecustomizer.liveos;

import io.imagecustomizer.config.AdditionalFile;
import io.imagecustomizer.config.InitramfsType;
import io.imagecustomizer.config.Iso;
import io.imagecustomizer.config.Pxe;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a Live OS output is built with, from the {@code iso} or the {@code pxe} section: the
 * initramfs type (upstream's defaults differ: bootstrap for an ISO, full-os for PXE), the extra
 * kernel arguments and the files put on the media.
 */
public record LiveMedia(
    InitramfsType type,
    List<String> extraArgs,
    List<AdditionalFile> additionalFiles,
    @Nullable String bootstrapUrl) {
  /** The bootstrap ISO's name in PXE artifacts when {@code bootstrapBaseUrl} names a folder. */
  public static final String BOOTSTRAP_ISO = "image.iso";

  public LiveMedia {
    extraArgs = List.copyOf(extraArgs);
    additionalFiles = List.copyOf(additionalFiles);
  }

  public static LiveMedia of(@Nullable Iso iso) {
    if (iso == null) {
      return new LiveMedia(InitramfsType.BOOTSTRAP, List.of(), List.of(), null);
    }
    return new LiveMedia(
        iso.initramfsType() == null ? InitramfsType.BOOTSTRAP : iso.initramfsType(),
        iso.extraCommandLine(),
        iso.additionalFiles(),
        null);
  }

  public static LiveMedia of(@Nullable Pxe pxe) {
    if (pxe == null) {
      return new LiveMedia(InitramfsType.FULL_OS, List.of(), List.of(), null);
    }
    return new LiveMedia(
        pxe.initramfsType() == null ? InitramfsType.FULL_OS : pxe.initramfsType(),
        pxe.extraCommandLine(),
        pxe.additionalFiles(),
        pxe.bootstrapFileUrl() != null
            ? pxe.bootstrapFileUrl()
            : pxe.bootstrapBaseUrl() == null
                ? null
                : pxe.bootstrapBaseUrl().replaceAll("/+$", "") + "/" + BOOTSTRAP_ISO);
  }

  /** The file name the bootstrap ISO has next to the PXE artifacts. */
  public String bootstrapIsoName() {
    return bootstrapUrl == null
        ? BOOTSTRAP_ISO
        : bootstrapUrl.substring(bootstrapUrl.lastIndexOf('/') + 1);
  }
}
