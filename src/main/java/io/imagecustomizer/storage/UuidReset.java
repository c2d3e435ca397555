package io.imagecustomizer.storage;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.image.partition.GptReader;
import io.imagecustomizer.image.partition.Partition;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessResult;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code storage.resetPartitionsUuidsType: reset-all}: every filesystem and partition of a raw disk
 * gets a fresh UUID (the disk's GPT too), so clones of one image stay apart. What was renamed is
 * returned, old to new, for fstab.
 */
public final class UuidReset {
  private static final Pattern SOURCE =
      Pattern.compile("^(\\s*)(UUID|PARTUUID)=(\\S+)(.*)$", Pattern.MULTILINE);

  private static final String WHY = "resetting the partition UUIDs";

  private UuidReset() {}

  /** Renames everything on {@code raw}; returns old identifier to new one, lower case. */
  public static Map<String, String> resetAll(ProcessRunner runner, Path raw) {
    HostTools.require(Map.of("sfdisk", "fdisk"), WHY);
    Map<String, String> renamed = new HashMap<>();
    List<Partition> partitions = GptReader.read(raw);
    for (Partition partition : partitions) {
      try (LoopDevice loop =
          LoopDevice.attach(runner, raw, partition.offset(), partition.size(), false)) {
        String device = loop.device();
        String type = probe(runner, device, "TYPE");
        if (!type.isEmpty()) {
          String old = probe(runner, device, "UUID");
          renamed.put(old.toLowerCase(Locale.ROOT), newFsUuid(runner, device, type));
        }
      }
    }
    for (Partition partition : partitions) {
      String uuid = UUID.randomUUID().toString();
      runner.run(
          Command.of(
              "sfdisk", "--quiet", "--part-uuid", raw.toString(), "" + partition.number(), uuid));
      renamed.put(partition.uuid(), uuid);
    }
    runner.run(
        Command.of("sfdisk", "--quiet", "--disk-id", raw.toString(), UUID.randomUUID().toString()));
    return renamed;
  }

  private static String probe(ProcessRunner runner, String device, String tag) {
    ProcessResult result =
        runner.runAllowingFailure(
            Command.of("blkid", "--probe", "--match-tag", tag, "--output", "value", device));
    return result.stdout().strip();
  }

  private static String newFsUuid(ProcessRunner runner, String device, String type) {
    switch (type) {
      case "ext2", "ext3", "ext4" -> {
        HostTools.require(Map.of("e2fsck", "e2fsprogs", "tune2fs", "e2fsprogs"), WHY);
        // tune2fs changes the UUID of a filesystem only after a full check; 1 means fixed.
        ProcessResult check = runner.runAllowingFailure(Command.of("e2fsck", "-fy", device));
        if (check.exitCode() > 1) {
          throw new ImageCustomizerException(
              "the ext4 filesystem on "
                  + device
                  + " has errors e2fsck cannot fix: "
                  + check.stdout(),
              "repair the input image first");
        }
        String uuid = UUID.randomUUID().toString();
        runner.run(Command.of("tune2fs", "-U", uuid, device));
        return uuid;
      }
      case "xfs" -> {
        HostTools.require(Map.of("xfs_admin", "xfsprogs"), WHY);
        String uuid = UUID.randomUUID().toString();
        runner.run(Command.of("xfs_admin", "-U", uuid, device));
        return uuid;
      }
      case "vfat" -> {
        HostTools.require(Map.of("fatlabel", "dosfstools"), WHY);
        String serial = Mkfs.fatSerial();
        runner.run(Command.of("fatlabel", "--volume-id", device, serial));
        return (serial.substring(0, 4) + "-" + serial.substring(4)).toLowerCase(Locale.ROOT);
      }
      default ->
          throw new ImageCustomizerException(
              "cannot reset the UUID of the " + type + " filesystem on " + device,
              "reset-all handles ext2/3/4, xfs and vfat filesystems");
    }
  }

  /** fstab with every UUID= and PARTUUID= source that was renamed pointing at its new name. */
  public static String rewriteFstab(String fstab, Map<String, String> renamed) {
    Matcher line = SOURCE.matcher(fstab);
    StringBuilder out = new StringBuilder();
    while (line.find()) {
      String value = line.group(3);
      String renamedTo = renamed.get(value.toLowerCase(Locale.ROOT));
      String replacement =
          renamedTo == null
              ? line.group()
              : line.group(1) + line.group(2) + "=" + format(value, renamedTo) + line.group(4);
      line.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    line.appendTail(out);
    return out.toString();
  }

  /** Keeps the case the old value was written in (FAT serials are usually upper case). */
  private static String format(String old, String renamed) {
    return old.equals(old.toUpperCase(Locale.ROOT)) ? renamed.toUpperCase(Locale.ROOT) : renamed;
  }
}
