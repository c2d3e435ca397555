package io.imagecustomizer.format.squashfs;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Squashfs images, made with mksquashfs and unpacked with unsquashfs. */
public final class Squashfs {
  private Squashfs() {}

  /**
   * What goes into a squashfs: a tree as it is, less what {@code excluded} matches, plus what
   * {@code pseudo} defines; so a tree that is not ours to change (a mounted image) can be packed
   * with the changes a copy would have had.
   *
   * @param excluded mksquashfs wildcard patterns, from the tree's top ({@code boot/*}); a pattern
   *     names one level, so {@code boot/*} leaves /boot itself in
   * @param pseudo mksquashfs pseudo definitions ({@code boot m 700 0 0}, {@code boot/f F ...})
   */
  public record Source(Path tree, List<String> excluded, List<String> pseudo) {
    public Source {
      excluded = List.copyOf(excluded);
      pseudo = List.copyOf(pseudo);
    }
  }

  /**
   * Packs {@code source} into a new {@code image}, with extended attributes (SELinux labels, file
   * capabilities). mksquashfs (4.4 and later) writes entries in name order and is otherwise
   * reproducible, but for times; the same input gives the same image with any number of threads.
   *
   * @param compression mksquashfs's compression arguments ({@code -comp zstd ...})
   * @param processors how many compressor threads mksquashfs starts
   * @param memoryMib how much memory mksquashfs may take for its caches and queues; left to itself
   *     it takes a quarter of the host's, which in a container may be more than the container has
   * @param sourceDate if given, the image's creation time, and no file newer than it: mksquashfs
   *     4.5 clamps to SOURCE_DATE_EPOCH, and refuses {@code -mkfs-time} and {@code -all-time}
   *     beside it, which a user's own SOURCE_DATE_EPOCH would bring
   */
  public static void pack(
      ProcessRunner runner,
      Source source,
      Path image,
      List<String> compression,
      int processors,
      long memoryMib,
      @Nullable Instant sourceDate) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "mksquashfs", source.tree().toString(), image.toString(), "-noappend", "-xattrs"));
    argv.addAll(compression);
    argv.addAll(
        List.of(
            "-processors",
            Integer.toString(processors),
            "-mem",
            memoryMib + "M",
            // Its bar is redrawn with carriage returns: 1.5 kB of escapes in a log; the run's own
            // progress already shows this stage.
            "-quiet",
            "-no-progress"));
    source.pseudo().forEach(definition -> argv.addAll(List.of("-p", definition)));
    if (!source.excluded().isEmpty()) {
      // every argument after -e is a pattern, so it comes last
      argv.addAll(List.of("-wildcards", "-e"));
      argv.addAll(source.excluded());
    }
    runner.run(Command.of(argv).withSourceDate(sourceDate).streamingOutput());
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
