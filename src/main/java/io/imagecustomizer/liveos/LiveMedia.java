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
    return of(iso, InitramfsType.BOOTSTRAP);
  }

  /** The {@code iso} section, with {@code fallback} where it names no initramfs type. */
  public static LiveMedia of(@Nullable Iso iso, InitramfsType fallback) {
    if (iso == null) {
      return new LiveMedia(fallback, List.of(), List.of(), null);
    }
    return new LiveMedia(
        iso.initramfsType() == null ? fallback : iso.initramfsType(),
        iso.extraCommandLine(),
        iso.additionalFiles(),
        null);
  }

  public static LiveMedia of(@Nullable Pxe pxe) {
    return of(pxe, InitramfsType.FULL_OS);
  }

  /** The {@code pxe} section, with {@code fallback} where it names no initramfs type. */
  public static LiveMedia of(@Nullable Pxe pxe, InitramfsType fallback) {
    if (pxe == null) {
      return new LiveMedia(fallback, List.of(), List.of(), null);
    }
    return new LiveMedia(
        pxe.initramfsType() == null ? fallback : pxe.initramfsType(),
        pxe.extraCommandLine(),
        pxe.additionalFiles(),
        pxe.bootstrapFileUrl() != null
            ? pxe.bootstrapFileUrl()
            : pxe.bootstrapBaseUrl() == null
                ? null
                : pxe.bootstrapBaseUrl().replaceAll("/+$", "") + "/" + BOOTSTRAP_ISO);
  }

  /**
   * The same media with the arguments earlier runs saved on an ISO input in front of this run's; an
   * argument given again is kept once, so arguments never pile up across ISO to ISO runs.
   */
  public LiveMedia afterEarlierArgs(List<String> saved) {
    java.util.LinkedHashSet<String> args = new java.util.LinkedHashSet<>(saved);
    args.addAll(extraArgs);
    return new LiveMedia(type, List.copyOf(args), additionalFiles, bootstrapUrl);
  }

  /** The file name the bootstrap ISO has next to the PXE artifacts. */
  public String bootstrapIsoName() {
    return bootstrapUrl == null
        ? BOOTSTRAP_ISO
        : bootstrapUrl.substring(bootstrapUrl.lastIndexOf('/') + 1);
  }
}
