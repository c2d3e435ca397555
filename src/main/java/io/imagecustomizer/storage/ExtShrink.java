package io.imagecustomizer.storage;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessResult;
import io.imagecustomizer.process.ProcessRunner;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shrinks an ext2/3/4 filesystem to its smallest size ({@code resize2fs -M}), as upstream does
 * before writing a COSI: the partition image then holds the files and little else, and the
 * provisioning agent grows the filesystem back into the partition it makes.
 */
public final class ExtShrink {
  private static final Set<String> TYPES = Set.of("ext2", "ext3", "ext4");
  private static final Pattern BLOCK_COUNT = Pattern.compile("(?m)^Block count:\\s+(\\d+)");
  private static final Pattern BLOCK_SIZE = Pattern.compile("(?m)^Block size:\\s+(\\d+)");

  private final ProcessRunner runner;

  public ExtShrink(ProcessRunner runner) {
    this.runner = runner;
  }

  /** Whether {@code fsType} (as blkid names it) is one this class shrinks. */
  public static boolean shrinks(String fsType) {
    return TYPES.contains(fsType);
  }

  /** The filesystem's size in bytes, from its superblock. */
  public long size(String device) {
    String header = runner.run(Command.of("dumpe2fs", "-h", device)).stdout();
    return number(BLOCK_COUNT, header, device) * number(BLOCK_SIZE, header, device);
  }

  /**
   * Checks the filesystem, shrinks it to its minimum and returns its new size in bytes.
   *
   * @param device a loop device over the partition, attached read-write
   */
  public long shrink(String device) {
    // resize2fs -M refuses a filesystem not checked since its last mount.
    ProcessResult check = runner.runAllowingFailure(Command.of("e2fsck", "-fy", device));
    if (check.exitCode() > 1) {
      // 1 means errors were corrected; anything above, that the filesystem is still damaged.
      throw new ImageCustomizerException(
          "e2fsck found errors it could not correct on " + device + ":\n" + check.stdout(),
          "repair the filesystem of the input image (e2fsck -f) and run again");
    }
    runner.run(Command.of("resize2fs", "-M", device));
    return size(device);
  }

  private static long number(Pattern field, String header, String device) {
    Matcher found = field.matcher(header);
    if (!found.find()) {
      throw new ImageCustomizerException(
          "dumpe2fs did not report the size of the filesystem on " + device + ":\n" + header);
    }
    return Long.parseLong(found.group(1));
  }
}
