package io.imagecustomizer.format.fat;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessFailedException;
import io.imagecustomizer.process.ProcessResult;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A FAT filesystem in a file, or in a partition of a disk image, read and written with mtools: the
 * kernel here cannot mount FAT, and mtools needs neither root nor a loop device. Paths on it are
 * absolute ({@code /EFI/BOOT/bootx64.efi}).
 */
public final class FatImage {
  private static final Pattern SHORT_WRITE =
      Pattern.compile("No space left on device|Short write", Pattern.CASE_INSENSITIVE);

  private final ProcessRunner runner;
  private final String drive;
  private final @Nullable Instant sourceDate;

  private FatImage(ProcessRunner runner, String drive, @Nullable Instant sourceDate) {
    this.runner = runner;
    this.drive = drive;
    this.sourceDate = sourceDate;
  }

  /**
   * Makes a new, empty FAT image file of {@code kib} KiB; the file must not exist.
   *
   * @param sourceDate if given, the image is reproducible: its volume id is made from this time
   *     rather than drawn at random, mkfs.vfat's other varying fields are constants ({@code
   *     --invariant}), and mtools (which honours SOURCE_DATE_EPOCH) dates every file and folder
   *     with it
   */
  public static FatImage create(
      ProcessRunner runner, Path file, String label, long kib, @Nullable Instant sourceDate) {
    List<String> argv = new ArrayList<>(List.of("mkfs.vfat", "-C", "-n", label));
    if (sourceDate != null) {
      argv.addAll(List.of("--invariant", "-i", volumeId(sourceDate)));
    }
    argv.addAll(List.of(file.toString(), Long.toString(kib)));
    runner.run(Command.of(argv));
    return new FatImage(runner, file.toString(), sourceDate);
  }

  /** The FAT filesystem that starts {@code offset} bytes into {@code disk}. */
  public static FatImage at(ProcessRunner runner, Path disk, long offset) {
    return new FatImage(runner, disk + "@@" + offset, null);
  }

  /** The low 32 bits of the time, as mkfs.vfat's {@code -i} takes them: 8 hex digits. */
  static String volumeId(Instant date) {
    return String.format("%08x", date.getEpochSecond() & 0xffffffffL);
  }

  /** Every file and folder on it, each as its path. */
  public List<String> list() {
    String listing = runner.run(Command.of("mdir", "-/", "-b", "-i", drive, "::/")).stdout();
    return listing
        .lines()
        .map(String::strip)
        .filter(l -> l.startsWith("::/"))
        .map(l -> l.substring(2))
        .toList();
  }

  /**
   * How {@code listing} (from {@link #list()}) spells {@code path}, if it has it: FAT ignores case.
   */
  public static Optional<String> find(List<String> listing, String path) {
    return listing.stream().filter(p -> p.equalsIgnoreCase(path)).findFirst();
  }

  /**
   * The first path in {@code listing} of a file named {@code name}, in any folder, case ignored.
   */
  public static Optional<String> named(List<String> listing, String name) {
    return listing.stream()
        .filter(p -> p.substring(p.lastIndexOf('/') + 1).equalsIgnoreCase(name))
        .findFirst();
  }

  /** Makes the folders, in order: a parent goes before its children. */
  public void mkdirs(String... folders) {
    List<String> argv = new ArrayList<>(List.of("mmd", "-i", drive));
    for (String folder : folders) {
      argv.add("::" + folder);
    }
    mtools(argv);
  }

  public void copyIn(Path file, String path) {
    mtools(List.of("mcopy", "-i", drive, file.toString(), "::" + path));
  }

  /** Copies a file in, over {@code path} if it exists (mcopy alone refuses to). */
  public void replace(Path file, String path) {
    mtools(List.of("mcopy", "-o", "-i", drive, file.toString(), "::" + path));
  }

  /** Deletes a file. */
  public void delete(String path) {
    mtools(List.of("mdel", "-i", drive, "::" + path));
  }

  /** Deletes a folder and everything in it. */
  public void deleteTree(String path) {
    mtools(List.of("mdeltree", "-i", drive, "::" + path));
  }

  /** Copies a file out, over {@code target} if it exists. */
  public void copyOut(String path, Path target) {
    mtools(List.of("mcopy", "-n", "-o", "-i", drive, "::" + path, target.toString()));
  }

  /**
   * mtools reports a short write (a full disk, on either side of the copy) on stderr and still
   * exits 0, leaving a truncated file: that is turned into the failure it is.
   */
  private void mtools(List<String> argv) {
    Command command = Command.of(argv).withSourceDate(sourceDate);
    ProcessResult result = runner.run(command);
    if (SHORT_WRITE.matcher(result.stderr()).find()) {
      throw new ProcessFailedException(
          command, result.exitCode(), result.stderr(), "the copy was cut short");
    }
  }
}
