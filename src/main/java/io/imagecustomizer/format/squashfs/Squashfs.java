package io.imagecustomizer.format.squashfs;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Squashfs images, made with mksquashfs and unpacked with unsquashfs. */
public final class Squashfs {
  private Squashfs() {}

  /**
   * Packs {@code tree} into a new {@code image}, with extended attributes (SELinux labels, file
   * capabilities). mksquashfs (4.4 and later) writes entries in name order and is otherwise
   * reproducible, but for times.
   *
   * @param compressor mksquashfs's name for the compression ({@code -comp})
   * @param sourceDate if given, the image's creation time, and no file newer than it: mksquashfs
   *     4.5 clamps to SOURCE_DATE_EPOCH, and refuses {@code -mkfs-time} and {@code -all-time}
   *     beside it, which a user's own SOURCE_DATE_EPOCH would bring
   */
  public static void pack(
      ProcessRunner runner,
      Path tree,
      Path image,
      String compressor,
      @Nullable Instant sourceDate) {
    runner.run(
        Command.of(
                "mksquashfs",
                tree.toString(),
                image.toString(),
                "-noappend",
                "-xattrs",
                "-comp",
                compressor,
                // Its bar is redrawn with carriage returns: 1.5 kB of escapes in a log; the run's
                // own progress already shows this stage.
                "-quiet",
                "-no-progress")
            .withSourceDate(sourceDate)
            .streamingOutput());
  }

  /** Unpacks {@code image} into {@code tree}, over what is there. */
  public static void unpack(ProcessRunner runner, Path image, Path tree) {
    runner.run(
        Command.of(
            "unsquashfs",
            "-quiet",
            "-no-progress",
            "-force",
            "-dest",
            tree.toString(),
            image.toString()));
  }
}
