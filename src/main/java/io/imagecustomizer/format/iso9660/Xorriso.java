package io.imagecustomizer.format.iso9660;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** ISO 9660 images written and read with xorriso (the kernel here cannot mount iso9660). */
public final class Xorriso {
  /** xorrisofs's timestring, {@code YYYYMMDDhhmmsscc} in UTC. */
  private static final DateTimeFormatter TIMESTRING =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'00'").withZone(ZoneOffset.UTC);

  private Xorriso() {}

  /**
   * BIOS boot for an ISO: grub's El Torito core image ({@code i386-pc-eltorito}), given relative to
   * the tree, and the MBR boot code ({@code boot_hybrid.img}) that starts the same core image when
   * the ISO is written to a USB stick.
   */
  public record BiosBoot(String eltoritoImage, Path mbr) {}

  /**
   * Writes {@code tree} as an ISO (Rock Ridge and Joliet names) that boots on UEFI from the FAT
   * image {@code efiImage}, given relative to the tree, and with {@code bios} also on BIOS. The
   * same FAT image is appended as a GPT EFI system partition, so that the file written to a USB
   * stick boots too.
   *
   * @param sourceDate if given, the ISO is reproducible: this time is every volume date, every
   *     file's dates, and the seed of the GPT's disk and partition GUIDs, which are random
   *     otherwise
   */
  public static void writeHybrid(
      ProcessRunner runner,
      Path tree,
      String volumeId,
      String efiImage,
      @Nullable BiosBoot bios,
      Path output,
      @Nullable Instant sourceDate) {
    List<String> argv =
        new ArrayList<>(
            List.of(
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
                output.toString()));
    if (bios != null) {
      // As grub-mkrescue lays it out: the El Torito BIOS entry first, its boot info patched into
      // the MBR code so that a BIOS booting the stick as a disk finds the core image.
      argv.addAll(
          List.of(
              "--grub2-mbr",
              bios.mbr().toString(),
              "-b",
              bios.eltoritoImage(),
              "-no-emul-boot",
              "-boot-load-size",
              "4",
              "-boot-info-table",
              "--grub2-boot-info"));
    }
    argv.addAll(
        List.of(
            "-eltorito-alt-boot",
            "-e",
            efiImage,
            "-no-emul-boot",
            "-append_partition",
            "2",
            "0xef",
            tree.resolve(efiImage).toString(),
            "-appended_part_as_gpt"));
    if (sourceDate != null) {
      // What xorriso 1.5 does with SOURCE_DATE_EPOCH alone, but that leaves files their mtimes
      String date = TIMESTRING.format(sourceDate);
      argv.addAll(
          List.of(
              "--modification-date=" + date,
              "--set_all_file_dates",
              date,
              "--gpt_disk_guid",
              "modification-date"));
    }
    argv.add(tree.toString());
    // the environment variable still dates what has no file (xorriso's -iso_nowtime)
    runner.run(Command.of(argv).withSourceDate(sourceDate));
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
