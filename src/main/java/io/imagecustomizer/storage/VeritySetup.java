package io.imagecustomizer.storage;

import io.imagecustomizer.config.VerityHashTree;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's veritysetup: a verity device's hash tree written over its data partition once the
 * filesystem on it is final and checked, with upstream's settings (sha256, 4096-byte blocks, a
 * superblock on the hash partition).
 */
public final class VeritySetup {
  private static final Pattern ROOT_HASH =
      Pattern.compile("(?m)^Root hash:\\s+([0-9a-fA-F]+)\\s*$");
  private static final Pattern UUID = Pattern.compile("(?m)^UUID:\\s+(\\S+)\\s*$");
  private static final long MIB = 1024 * 1024;

  private VeritySetup() {}

  /** What {@code veritysetup format} wrote: the root hash, and the UUID of the hash superblock. */
  public record Formatted(String rootHash, String hashUuid) {}

  /** Fails, naming the package, unless the host has veritysetup. */
  public static void requireTools() {
    HostTools.require(Map.of("veritysetup", "cryptsetup-bin"), "dm-verity (storage.verity)");
  }

  /**
   * Checks the data filesystem read-only (the tree fixes it as it is: a fault found later could
   * never be repaired), then writes the hash tree of {@code data} to {@code hash}.
   *
   * @param what the verity device's name, for messages
   */
  public static Formatted format(
      ProcessRunner runner,
      String what,
      String data,
      long dataSize,
      String type,
      String hash,
      long hashSize) {
    long needed = VerityHashTree.bytes(dataSize);
    if (hashSize < needed) {
      throw new ImageCustomizerException(
          "the hash partition of verity device '"
              + what
              + "' has "
              + hashSize
              + " bytes, but the hash tree of its "
              + dataSize / MIB
              + " MiB data partition needs "
              + needed,
          "make the hash partition at least " + (needed + MIB - 1) / MIB + "M");
    }
    runner.run(check(what, type, data));
    if (type.startsWith("ext") && needsRecovery(runner, data)) {
      // e2fsck -n skips the journal and passes; the kernel would refuse the read-only mount.
      throw new ImageCustomizerException(
          "the filesystem of verity device '"
              + what
              + "' was not cleanly unmounted: its journal needs recovery",
          "run again; if it recurs, look for a program on this host holding the build folder's"
              + " mounts");
    }
    String out =
        runner
            .run(
                Command.of(
                    "veritysetup",
                    "format",
                    "--hash",
                    "sha256",
                    "--data-block-size",
                    Integer.toString(VerityHashTree.BLOCK),
                    "--hash-block-size",
                    Integer.toString(VerityHashTree.BLOCK),
                    data,
                    hash))
            .stdout();
    return parse(out);
  }

  /** The read-only check of a filesystem blkid calls {@code type}. */
  static Command check(String what, String type, String device) {
    return switch (type) {
      case "ext2", "ext3", "ext4" -> Command.of("e2fsck", "-f", "-n", device);
      case "xfs" -> Command.of("xfs_repair", "-n", device);
      case "btrfs" -> Command.of("btrfs", "check", "--readonly", device);
      default ->
          throw new ImageCustomizerException(
              "the data partition of verity device '"
                  + what
                  + "' holds "
                  + (type.isEmpty() ? "no filesystem" : "a " + type + " filesystem"),
              "verity protects an ext4, xfs or btrfs filesystem");
    };
  }

  private static boolean needsRecovery(ProcessRunner runner, String device) {
    String header = runner.run(Command.of("dumpe2fs", "-h", device)).stdout();
    return header
        .lines()
        .anyMatch(l -> l.startsWith("Filesystem features:") && l.contains(" needs_recovery"));
  }

  static Formatted parse(String out) {
    Matcher hash = ROOT_HASH.matcher(out);
    Matcher uuid = UUID.matcher(out);
    if (!hash.find() || !uuid.find()) {
      throw new ImageCustomizerException(
          "veritysetup format printed no root hash or UUID: " + out.strip(),
          "check the host's veritysetup (package cryptsetup-bin)");
    }
    return new Formatted(hash.group(1).toLowerCase(java.util.Locale.ROOT), uuid.group(1));
  }
}
