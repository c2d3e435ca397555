package io.imagecustomizer.storage;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a FAT filesystem inside a disk image, read and written with mtools at the
 * partition's offset: this kernel cannot mount FAT, and mtools needs no loop device.
 */
public final class FatFiles {
  private final ProcessRunner runner;
  private final String drive;

  public FatFiles(ProcessRunner runner, Path disk, long offset) {
    this.runner = runner;
    this.drive = disk.toAbsolutePath() + "@@" + offset;
  }

  /** Every file's path on the FAT ({@code /EFI/BOOT/bootx64.efi}), folders left out. */
  public List<String> files() {
    String listing = runner.run(Command.of("mdir", "-/", "-b", "-i", drive, "::/")).stdout();
    return listing
        .lines()
        .map(String::strip)
        .filter(l -> l.startsWith("::/") && !l.endsWith("/"))
        .map(l -> l.substring(2))
        .toList();
  }

  /** Copies the whole filesystem into the empty folder {@code target}. */
  public void copyAllTo(Path target) {
    if (!files().isEmpty()) {
      runner.run(
          Command.of("mcopy", "-s", "-p", "-m", "-n", "-Q", "-i", drive, "::/*", target + "/"));
    }
  }

  /** Copies every entry of the folder {@code source} to the filesystem's top folder. */
  public void copyAllFrom(Path source) {
    List<String> argv =
        new ArrayList<>(List.of("mcopy", "-s", "-p", "-m", "-o", "-Q", "-i", drive));
    int options = argv.size();
    try (Stream<Path> entries = Files.list(source)) {
      entries.sorted().forEach(entry -> argv.add(entry.toString()));
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot list " + source, e);
    }
    if (argv.size() > options) {
      argv.add("::/");
      runner.run(Command.of(argv));
    }
  }

  /** Writes {@code text} to {@code fatPath}, creating its folders; an existing file is replaced. */
  public void write(String fatPath, String text, Path scratch) {
    String folder = fatPath.substring(0, fatPath.lastIndexOf('/'));
    StringBuilder soFar = new StringBuilder();
    for (String part : folder.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      soFar.append('/').append(part);
      // mmd fails on a folder that exists; that is the only failure expected here.
      runner.runAllowingFailure(Command.of("mmd", "-i", drive, "::" + soFar));
    }
    try {
      Files.writeString(scratch, text, StandardCharsets.UTF_8);
      runner.run(Command.of("mcopy", "-o", "-i", drive, scratch.toString(), "::" + fatPath));
      Files.delete(scratch);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write " + scratch, e);
    }
  }
}
