package io.imagecustomizer.liveos;

import io.imagecustomizer.config.AdditionalFile;
import io.imagecustomizer.config.InitramfsType;
import io.imagecustomizer.config.Iso;
import io.imagecustomizer.config.Pxe;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a Live OS output is built with, from the {@code iso} or the {@code pxe} section: the
 * initramfs type (upstream's defaults differ: bootstrap for an ISO, full-os for PXE), the extra
 * kernel arguments and the files put on the media.
 *
 * @param iso whether these are the iso section's: the OS boots from media it can mount, where PXE
 *     has only a kernel and initrd
 */
public record LiveMedia(
    InitramfsType type,
    List<String> extraArgs,
    List<AdditionalFile> additionalFiles,
    @Nullable String bootstrapUrl,
    boolean iso) {
  /** The bootstrap ISO's name in PXE artifacts when {@code bootstrapBaseUrl} names a folder. */
  public static final String BOOTSTRAP_ISO = "image.iso";

  public LiveMedia {
    extraArgs = List.copyOf(extraArgs);
    additionalFiles = List.copyOf(additionalFiles);
  }

  /**
   * The {@code iso} section; where it names no initramfs type, {@code current} (an ISO input's own)
   * or else upstream's default, bootstrap.
   */
  public static LiveMedia of(@Nullable Iso iso, @Nullable InitramfsType current) {
    InitramfsType fallback = current == null ? InitramfsType.BOOTSTRAP : current;
    if (iso == null) {
      return new LiveMedia(fallback, List.of(), List.of(), null, true);
    }
    return new LiveMedia(
        iso.initramfsType() == null ? fallback : iso.initramfsType(),
        iso.extraCommandLine(),
        iso.additionalFiles(),
        null,
        true);
  }

  /**
   * The {@code pxe} section; where it names no initramfs type, {@code current} (an ISO input's own)
   * or else upstream's default, full-os.
   */
  public static LiveMedia of(@Nullable Pxe pxe, @Nullable InitramfsType current) {
    InitramfsType fallback = current == null ? InitramfsType.FULL_OS : current;
    if (pxe == null) {
      return new LiveMedia(fallback, List.of(), List.of(), null, false);
    }
    return new LiveMedia(
        pxe.initramfsType() == null ? fallback : pxe.initramfsType(),
        pxe.extraCommandLine(),
        pxe.additionalFiles(),
        pxe.bootstrapFileUrl() != null
            ? pxe.bootstrapFileUrl()
            : pxe.bootstrapBaseUrl() == null
                ? null
                : pxe.bootstrapBaseUrl().replaceAll("/+$", "") + "/" + BOOTSTRAP_ISO,
        false);
  }

  /**
   * The same media with the arguments earlier runs saved on an ISO input in front of this run's; an
   * argument given again is kept once, so arguments never pile up across ISO to ISO runs.
   */
  public LiveMedia afterEarlierArgs(List<String> saved) {
    Set<String> args = new LinkedHashSet<>(saved);
    args.addAll(extraArgs);
    return new LiveMedia(type, List.copyOf(args), additionalFiles, bootstrapUrl, iso);
  }

  /** The file name the bootstrap ISO has next to the PXE artifacts. */
  public String bootstrapIsoName() {
    return bootstrapUrl == null
        ? BOOTSTRAP_ISO
        : bootstrapUrl.substring(bootstrapUrl.lastIndexOf('/') + 1);
  }
}
