package io.imagecustomizer.config;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where every partition of a {@code storage.disks[]} entry lies, worked out once with upstream's
 * rules: the first partition starts at 1 MiB when it gives no start, each later one where the
 * previous ends, only the last may grow (to {@code maxSize} less the 1 MiB the GPT backup needs),
 * and without {@code maxSize} the disk ends 1 MiB after the last partition. The validator reports
 * its problems; the stage that builds the disk uses the same numbers.
 *
 * @param size the disk's size in bytes
 * @param slots the partitions in disk order
 */
public record DiskLayout(long size, List<Slot> slots) {
  private static final long MIB = DiskSize.MIB;

  public DiskLayout {
    slots = List.copyOf(slots);
  }

  /** One partition of the layout: bytes [start, end). */
  public record Slot(Partition partition, long start, long end) {
    public long size() {
      return end - start;
    }
  }

  /** Where a layout's problems go, each at its YAML path. */
  @FunctionalInterface
  public interface Report {
    void problem(String path, String message, @Nullable String hint);
  }

  /**
   * The layout of {@code disk}, or null when it has problems, each sent to {@code report}.
   *
   * @param at the disk's YAML path, {@code storage.disks[0]}
   */
  public static @Nullable DiskLayout plan(String at, Disk disk, Report report) {
    List<String> found = new ArrayList<>();
    Report counted =
        (path, message, hint) -> {
          found.add(path);
          report.problem(path, message, hint);
        };
    DiskLayout layout = new Planner(at, disk, counted).plan();
    return found.isEmpty() ? layout : null;
  }

  private static final class Planner {
    private final String at;
    private final Disk disk;
    private final Report report;

    Planner(String at, Disk disk, Report report) {
      this.at = at;
      this.disk = disk;
      this.report = report;
    }

    @Nullable DiskLayout plan() {
      Long maxSize = size(at + ".maxSize", disk.maxSize());
      if (maxSize != null && maxSize == 0) {
        report.problem(at + ".maxSize", "must be greater than zero", null);
      }
      List<Partition> partitions = disk.partitions();
      if (partitions.isEmpty()) {
        if (maxSize == null) {
          report.problem(at, "must give maxSize or partitions", null);
          return null;
        }
        return new DiskLayout(maxSize, List.of());
      }
      List<Long> starts = new ArrayList<>();
      List<Long> ends = new ArrayList<>();
      // The previous partition's end; null when it grows or is itself in error.
      Long previousEnd = null;
      boolean previousGrows = false;
      for (int i = 0; i < partitions.size(); i++) {
        String p = at + ".partitions[" + i + "]";
        Partition partition = partitions.get(i);
        boolean grow = "grow".equals(partition.size());
        Long start = size(p + ".start", partition.start());
        Long end = size(p + ".end", partition.end());
        Long size = grow ? null : size(p + ".size", partition.size());
        if (partition.end() != null && partition.size() != null) {
          report.problem(p, "'end' and 'size' cannot both be given", null);
        }
        Long begin = start;
        if (partition.start() == null) {
          if (i == 0) {
            begin = MIB;
          } else if (previousGrows) {
            report.problem(
                p + ".start",
                "must be given because the previous partition has neither 'end' nor 'size'",
                null);
          } else {
            begin = previousEnd;
          }
        } else if (previousGrows) {
          report.problem(
              at + ".partitions[" + (i - 1) + "].size",
              "only the last partition may grow",
              "give it a size or an end");
        }
        if (begin != null) {
          checkStart(p, partition, begin, previousEnd);
        }
        Long stop = null;
        if (end != null) {
          if (begin != null && end <= begin) {
            report.problem(p + ".end", "must be after the partition's start", null);
          }
          stop = end;
        } else if (size != null) {
          if (size == 0) {
            report.problem(p + ".size", "must be greater than zero", null);
          }
          stop = begin == null ? null : begin + size;
        }
        previousGrows = partition.end() == null && (partition.size() == null || grow);
        previousEnd = stop;
        starts.add(begin);
        ends.add(stop);
      }
      return finish(maxSize, starts, ends, previousGrows);
    }

    private void checkStart(String p, Partition partition, long begin, @Nullable Long previousEnd) {
      if (begin < MIB) {
        report.problem(p + ".start", "must be at least 1M (room for the partition table)", null);
      }
      if (previousEnd != null && begin < previousEnd) {
        report.problem(
            p + ".start",
            "overlaps the previous partition",
            "the previous partition ends at " + previousEnd / MIB + "M");
      }
      if ("bios-grub".equals(partition.type()) && begin != MIB) {
        report.problem(p + ".start", "a bios-grub partition must start at 1M", null);
      }
    }

    private @Nullable DiskLayout finish(
        @Nullable Long maxSize, List<Long> starts, List<Long> ends, boolean lastGrows) {
      int last = starts.size() - 1;
      Long lastStart = starts.get(last);
      if (lastGrows && maxSize == null) {
        String p = at + ".partitions[" + last + "]";
        if ("grow".equals(disk.partitions().get(last).size())) {
          report.problem(p + ".size", "'grow' needs the disk's maxSize", null);
        } else {
          report.problem(
              at + ".maxSize",
              "must be given when the last partition has neither 'end' nor 'size'",
              null);
        }
        return null;
      }
      Long lastEnd = lastGrows ? lastStart == null ? null : lastStart + MIB : ends.get(last);
      if (lastEnd == null || starts.contains(null) || ends.subList(0, last).contains(null)) {
        return null;
      }
      long required = lastEnd + MIB;
      if (maxSize != null && required > maxSize) {
        report.problem(
            at + ".maxSize",
            "is smaller than the partitions need",
            "they need " + required / MIB + "M, with 1M at the end for the GPT backup");
        return null;
      }
      long diskSize = maxSize == null ? required : maxSize;
      List<Slot> slots = new ArrayList<>();
      for (int i = 0; i <= last; i++) {
        long end = i == last && lastGrows ? diskSize - MIB : ends.get(i);
        slots.add(new Slot(disk.partitions().get(i), starts.get(i), end));
      }
      return new DiskLayout(diskSize, slots);
    }

    private @Nullable Long size(String path, @Nullable String text) {
      if (text == null) {
        return null;
      }
      Parsed<DiskSize> parsed = DiskSize.parse(text);
      if (parsed instanceof Parsed.Invalid<DiskSize> invalid) {
        report.problem(path, invalid.message(), invalid.hint());
        return null;
      }
      return ((Parsed.Valid<DiskSize>) parsed).value().bytes();
    }
  }
}
