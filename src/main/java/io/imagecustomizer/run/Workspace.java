package io.imagecustomizer.run;

import java.nio.file.Path;

/**
 * Every path a run uses under its build folder, named once. The Live OS work folder's own layout
 * (staging, rootfs, the image mount, ...) is named by {@code liveos.LiveOsWorkDir}.
 */
public record Workspace(Path buildDir) {
  public Workspace {
    buildDir = buildDir.toAbsolutePath().normalize();
  }

  /** The raw working copy of a disk input; the input itself is only read. */
  public Path rawImage() {
    return buildDir.resolve("image.raw");
  }

  /** Where the working copy's filesystems are mounted read-write while the OS is customized. */
  public Path imageMount() {
    return buildDir.resolve("imageroot");
  }

  /** The disk of the config's storage layout while it is built; then it replaces the copy. */
  public Path repartitionedImage() {
    return buildDir.resolve("repartitioned.raw");
  }

  /** Where the new layout's filesystems are mounted while the OS files are copied in. */
  public Path newImageMount() {
    return buildDir.resolve("newimageroot");
  }

  /** A file the boot loader reset writes before mtools copies it onto the ESP. */
  public Path fatScratch() {
    return buildDir.resolve("esp-file.tmp");
  }

  /**
   * Prefix of the folder the old ESP's files pass through on their way to the new one (mtools reads
   * or writes one image at a time).
   */
  public static String espFilesPrefix() {
    return "esp-files";
  }

  /** Prefix of the Live OS work folder, created fresh under the build folder for each run. */
  public static String liveOsWorkPrefix() {
    return "liveos";
  }

  /**
   * The name an output is written under until it is complete: beside the output, so that the final
   * rename stays on one filesystem.
   */
  public static Path partial(Path output) {
    return output.resolveSibling("." + output.getFileName() + ".partial");
  }
}
