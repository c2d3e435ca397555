package io.imagecustomizer.liveos;

import io.imagecustomizer.boot.GrubConfig;
import io.imagecustomizer.config.InitramfsType;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns the image's main grub.cfg into the one a Live OS boots with: kernel and initrd paths on the
 * media, the root the initrd must find, and the user's extra arguments. Every edit is idempotent,
 * so an ISO made from an ISO carries each argument once.
 */
public final class LiveOsGrub {
  /** The ISO 9660 volume id; the kernel finds the media by it. */
  public static final String VOLUME_ID = "CDROM";

  /**
   * What dracut's dmsquash-live needs to mount {@code /liveos/rootfs.img} with a RAM overlay.
   * Upstream also passes {@code rd.live.overlay=1}, which Debian's dracut 059 reads as a
   * persistent-overlay device and then waits for a key press forever; {@code
   * rd.live.overlay.overlayfs} alone gives the overlay on every dracut we boot.
   */
  static final List<String> BOOTSTRAP_ARGS =
      List.of(
          "rd.live.image",
          "rd.live.dir=/liveos",
          "rd.live.squashimg=rootfs.img",
          "rd.live.overlay.overlayfs",
          "rd.live.overlay.nouserconfirmprompt");

  /**
   * A grub.cfg that hands over to the media's main one: in the FAT boot image, where the shim's
   * grub starts, and in the vendor folders a distribution's grub looks in.
   */
  static final String REDIRECT =
      "search --no-floppy --label "
          + VOLUME_ID
          + " --set root\nset prefix=($root)/boot/grub2\nconfigfile $prefix/grub.cfg\n";

  /** dracut's livenet fetches the bootstrap ISO once the network is up. */
  static final List<String> PXE_BOOTSTRAP_ARGS = List.of("ip=dhcp", "rd.neednet=1");

  private LiveOsGrub() {}

  /** The grub.cfg at /boot/grub2/grub.cfg on the ISO. */
  public static String iso(
      String imageGrub, InitramfsType type, List<String> extraArgs, boolean disableSelinux) {
    GrubConfig grub = common(GrubConfig.parse(imageGrub), type, disableSelinux);
    grub = grub.hasSearch() ? grub.searchLabel(VOLUME_ID) : withSearch(grub);
    if (type == InitramfsType.BOOTSTRAP) {
      grub = grub.setArg("root", "live:LABEL=" + VOLUME_ID);
    }
    return grub.appendArgs(extraArgs).text();
  }

  /**
   * The grub.cfg of PXE artifacts; {@code bootstrapUrl} is where livenet downloads the bootstrap
   * ISO (bootstrap only).
   */
  public static String pxe(
      String imageGrub,
      InitramfsType type,
      @Nullable String bootstrapUrl,
      List<String> extraArgs,
      boolean disableSelinux) {
    GrubConfig grub = common(GrubConfig.parse(imageGrub), type, disableSelinux).removeSearch();
    if (type == InitramfsType.BOOTSTRAP) {
      grub = grub.setArg("root", "live:" + bootstrapUrl).appendArgs(PXE_BOOTSTRAP_ARGS);
    }
    return grub.appendArgs(extraArgs).text();
  }

  private static GrubConfig common(GrubConfig grub, InitramfsType type, boolean disableSelinux) {
    GrubConfig edited = grub.kernelPaths(path -> "/boot/" + baseName(path));
    if (type == InitramfsType.FULL_OS) {
      edited =
          edited
              .initrdPaths(path -> "/boot/initrd.img")
              .removeArg("root")
              .removeExactArgs(BOOTSTRAP_ARGS);
    } else {
      edited = edited.initrdPaths(path -> "/boot/" + baseName(path)).appendArgs(BOOTSTRAP_ARGS);
    }
    if (disableSelinux) {
      edited =
          edited
              .removeExactArgs(List.of("security=selinux"))
              .removeArg("enforcing")
              .setArg("selinux", "0");
    }
    return edited;
  }

  private static GrubConfig withSearch(GrubConfig grub) {
    return GrubConfig.parse(
        "search --no-floppy --label " + VOLUME_ID + " --set root\n" + grub.text());
  }

  private static String baseName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
