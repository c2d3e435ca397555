package io.imagecustomizer.format.fat;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A FAT filesystem in a file, or in a partition of a disk image, read and written with mtools: the
 * kernel here cannot mount FAT, and mtools needs neither root nor a loop device. Paths on it are
 * absolute ({@code /EFI/BOOT/bootx64.efi}).
 */
public final class FatImage {
  private final ProcessRunner runner;
  private final String drive;

  private FatImage(ProcessRunner runner, String drive) {
    this.runner = runner;
    this.drive = drive;
  }

  /** Makes a new, empty FAT image file of {@code kib} KiB; the file must not exist. */
  public static FatImage create(ProcessRunner runner, Path file, String label, long kib) {
    runner.run(Command.of("mkfs.vfat", "-C", "-n", label, file.toString(), Long.toString(kib)));
    return new FatImage(runner, file.toString());
  }

  /** The FAT filesystem that starts {@code offset} bytes into {@code disk}. */
  public static FatImage at(ProcessRunner runner, Path disk, long offset) {
    return new FatImage(runner, disk + "@@" + offset);
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

  /** Makes the folders, in order: a parent goes before its children. */
  public void mkdirs(String... folders) {
    List<String> argv = new ArrayList<>(List.of("mmd", "-i", drive));
    for (String folder : folders) {
      argv.add("::" + folder);
    }
    runner.run(Command.of(argv));
  }

  public void copyIn(Path file, String path) {
    runner.run(Command.of("mcopy", "-i", drive, file.toString(), "::" + path));
  }

  /** Copies a file in, over {@code path} if it exists (mcopy alone refuses to). */
  public void replace(Path file, String path) {
    runner.run(Command.of("mcopy", "-o", "-i", drive, file.toString(), "::" + path));
  }

  /** Copies a file out, over {@code target} if it exists. */
  public void copyOut(String path, Path target) {
    runner.run(Command.of("mcopy", "-n", "-o", "-i", drive, "::" + path, target.toString()));
  }
}
