package io.imagecustomizer.format.cosi;

import java.util.List;

/**
 * {@code metadata.json} of a COSI file, version 1.1 of upstream's specification ({@code
 * docs/imagecustomizer/api/cosi.md}): field names as the specification spells them. A filesystem's
 * {@code verity} is left out, as the specification allows for filesystems not opened with
 * dm-verity.
 */
public record CosiMetadata(
    String version,
    String osArch,
    String osRelease,
    List<FileSystem> images,
    Bootloader bootloader,
    List<OsPackage> osPackages,
    String id) {
  /** The specification revision written. */
  public static final String VERSION = "1.1";

  public CosiMetadata {
    images = List.copyOf(images);
    osPackages = List.copyOf(osPackages);
  }

  /** One partition's filesystem and its image in the tar. */
  public record FileSystem(
      ImageFile image, String mountPoint, String fsType, String fsUuid, String partType) {}

  /**
   * An image file in the tar: {@code sha384} and {@code compressedSize} are of the compressed file,
   * {@code uncompressedSize} of the raw filesystem.
   */
  public record ImageFile(String path, long compressedSize, long uncompressedSize, String sha384) {}

  /** {@code grub} or {@code systemd-boot}. */
  public record Bootloader(String type) {}

  public record OsPackage(String name, String version, String release, String arch) {}
}
