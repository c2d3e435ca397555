package io.imagecustomizer.image.format;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells how qemu-img must open an input disk image, by upstream's rules: the format qemu-img info
 * finds, except that a file ending in a VHD footer is a VHD (qemu calls a fixed VHD raw), read by
 * its byte count; a VHD that qemu would size by its geometry is refused, since that size cuts off
 * the disk's end. An ISO 9660 volume (which qemu calls raw) is told by its content and refused.
 */
public final class ImageProbe {
  static final String GEOMETRY_HINT =
      "recreate it with '-o force_size=on' (qemu-img convert -O vpc -o force_size=on ...), which"
          + " sizes a VHD by its bytes as Hyper-V and Azure do; or give the raw, qcow2 or vhdx"
          + " image it was made from";

  private final QemuImg qemuImg;

  public ImageProbe(ProcessRunner runner) {
    this.qemuImg = new QemuImg(runner);
  }

  /** An input as qemu-img opens it. */
  public record Source(Path file, DiskFormat format) {
    /**
     * The {@code --image-opts} value: the driver named, so qemu never guesses, and a VHD sized by
     * its byte count. Commas in the path are doubled, as qemu's option syntax escapes them.
     */
    public String imageOpts() {
      String opts =
          "driver=" + format.qemuName() + ",file.filename=" + file.toString().replace(",", ",,");
      return format == DiskFormat.VHD ? opts + ",force_size_calc=current_size" : opts;
    }
  }

  /**
   * Probes {@code input}.
   *
   * @throws ImageCustomizerException naming the file when it is an ISO, a geometry-sized VHD, or a
   *     format other than raw, qcow2, vhd and vhdx
   */
  public Source probe(Path input) {
    String probed = qemuImg.probedFormat(input);
    if (probed.equals("raw") || probed.equals("vpc")) {
      Optional<VhdFooter> footer = VhdFooter.read(input);
      if (footer.isPresent()) {
        requireByteSized(input, footer.get());
        return new Source(input, DiskFormat.VHD);
      }
    }
    DiskFormat format =
        switch (probed) {
          case "raw" ->
              DiskFormat.detect(input) == DiskFormat.ISO ? DiskFormat.ISO : DiskFormat.RAW;
          case "qcow2" -> DiskFormat.QCOW2;
          case "vpc" -> DiskFormat.VHD;
          case "vhdx" -> DiskFormat.VHDX;
          default ->
              throw new ImageCustomizerException(
                  "the input image "
                      + input
                      + " is in a format this tool does not read (qemu-img calls it \""
                      + probed
                      + "\")",
                  "give a raw, qcow2, vhd or vhdx image; qemu-img convert can make one");
        };
    return new Source(input, format);
  }

  /**
   * Refuses a VHD input that qemu would size by its geometry, or whose footer is of an unknown
   * version; a file without a VHD footer passes.
   */
  public static void checkVhd(Path input) {
    VhdFooter.read(input).ifPresent(footer -> requireByteSized(input, footer));
  }

  private static void requireByteSized(Path input, VhdFooter footer) {
    if (!footer.isKnownVersion()) {
      throw new ImageCustomizerException(
          "the input image "
              + input
              + " ends in a VHD footer of unknown version 0x"
              + Integer.toHexString(footer.formatVersion()),
          "a damaged or non-standard VHD; recreate it with qemu-img convert -O vpc -o"
              + " force_size=on");
    }
    if (footer.isGeometrySized()) {
      throw new ImageCustomizerException(
          "the input image "
              + input
              + " is a VHD sized by its disk geometry (creator \""
              + footer.creator()
              + "\"), which loses the disk's last sectors",
          GEOMETRY_HINT);
    }
  }
}
