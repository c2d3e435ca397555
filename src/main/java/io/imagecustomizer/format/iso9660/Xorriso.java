package io.imagecustomizer.format.iso9660;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;

/** ISO 9660 images written and read with xorriso (the kernel here cannot mount iso9660). */
public final class Xorriso {
  private Xorriso() {}

  /**
   * Writes {@code tree} as an ISO (Rock Ridge and Joliet names) that boots on UEFI from the FAT
   * image {@code efiImage}, given relative to the tree. The same FAT image is appended as a GPT EFI
   * system partition, so that the file written to a USB stick boots too.
   */
  public static void writeUefiHybrid(
      ProcessRunner runner, Path tree, String volumeId, String efiImage, Path output) {
    runner.run(
        Command.of(
            "xorriso",
            "-as",
            "mkisofs",
            "-R",
            "-l",
            "-D",
            "-iso-level",
            "3",
            "-J",
            "-joliet-long",
            "-V",
            volumeId,
            "-o",
            output.toString(),
            "-eltorito-alt-boot",
            "-e",
            efiImage,
            "-no-emul-boot",
            "-append_partition",
            "2",
            "0xef",
            tree.resolve(efiImage).toString(),
            "-appended_part_as_gpt",
            tree.toString()));
  }

  /** Copies every file of {@code iso} into {@code dir}; any problem xorriso sees is a failure. */
  public static void extract(ProcessRunner runner, Path iso, Path dir) {
    runner.run(
        Command.of(
            "xorriso",
            "-abort_on",
            "FAILURE",
            "-return_with",
            "SORRY",
            "32",
            "-osirrox",
            "on",
            "-indev",
            iso.toString(),
            "-extract",
            "/",
            dir.toString()));
  }
}
