package io.imagecustomizer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The layout arithmetic against upstream's own cases (imagecustomizerapi/disk_test.go). */
class DiskLayoutTest {
  private static final long MIB = DiskSize.MIB;
  private final List<String> problems = new ArrayList<>();

  private static Partition part(String id, @Nullable String start, @Nullable String end) {
    return new Partition(id, null, start, end, null, null);
  }

  private static Partition sized(String id, @Nullable String start, String size) {
    return new Partition(id, null, start, null, size, null);
  }

  private @Nullable DiskLayout plan(@Nullable String maxSize, Partition... partitions) {
    return DiskLayout.plan(
        "storage.disks[0]",
        new Disk(Disk.PartitionTableType.GPT, maxSize, Arrays.asList(partitions)),
        (path, message, hint) ->
            problems.add(path + ": " + message + (hint == null ? "" : " (" + hint + ")")));
  }

  private static List<long[]> mib(DiskLayout layout) {
    return layout.slots().stream().map(s -> new long[] {s.start() / MIB, s.end() / MIB}).toList();
  }

  @Test
  void aLastPartitionWithoutEndGrowsToMaxSizeLessTheGptBackup() {
    DiskLayout layout = plan("3M", part("a", "1M", null));
    assertThat(problems).isEmpty();
    assertThat(layout.size()).isEqualTo(3 * MIB);
    assertThat(mib(layout)).containsExactly(new long[] {1, 2});
  }

  @Test
  void growIsTheSameAsNoEnd() {
    DiskLayout layout = plan("10M", sized("a", null, "2M"), sized("b", null, "grow"));
    assertThat(problems).isEmpty();
    assertThat(mib(layout)).containsExactly(new long[] {1, 3}, new long[] {3, 9});
  }

  @Test
  void endAndSizeGiveTheSameSlot() {
    assertThat(mib(plan("3M", part("a", "1M", "2M")))).containsExactly(new long[] {1, 2});
    assertThat(mib(plan("3M", sized("a", "1M", "1M")))).containsExactly(new long[] {1, 2});
    assertThat(problems).isEmpty();
  }

  @Test
  void startsFollowThePreviousEndAndTheDiskEndsOneMibAfterTheLast() {
    DiskLayout layout = plan(null, sized("a", null, "1M"), sized("b", null, "2M"));
    assertThat(problems).isEmpty();
    assertThat(mib(layout)).containsExactly(new long[] {1, 2}, new long[] {2, 4});
    assertThat(layout.size()).isEqualTo(5 * MIB);
  }

  @Test
  void theFirstMibHoldsThePartitionTable() {
    assertThat(plan("3M", part("a", "0M", null))).isNull();
    assertThat(problems)
        .containsExactly(
            "storage.disks[0].partitions[0].start: must be at least 1M (room for the partition table)");
  }

  @Test
  void aZeroSizedPartitionIsRejected() {
    assertThat(plan("2M", part("a", "2M", "0M"))).isNull();
    assertThat(problems)
        .containsExactly("storage.disks[0].partitions[0].end: must be after the partition's start");
  }

  @Test
  void onlyTheLastPartitionGrows() {
    assertThat(plan("4M", part("a", "1M", null), part("b", "2M", null))).isNull();
    assertThat(problems)
        .containsExactly(
            "storage.disks[0].partitions[0].size: only the last partition may grow (give it a size or an end)");
    problems.clear();
    assertThat(plan("4M", part("a", "1M", null), sized("b", "2M", "1M"))).isNull();
    assertThat(problems).hasSize(1).first().asString().contains("only the last partition may grow");
  }

  @Test
  void overlapsAreRejected() {
    assertThat(plan("5M", part("a", "1M", "3M"), part("b", "2M", "4M"))).isNull();
    assertThat(problems)
        .containsExactly(
            "storage.disks[0].partitions[1].start: overlaps the previous partition"
                + " (the previous partition ends at 3M)");
    problems.clear();
    assertThat(plan("4M", part("a", "1M", "3M"), part("b", "2M", null))).isNull();
    assertThat(problems).hasSize(1).first().asString().contains("overlaps the previous partition");
  }

  @Test
  void maxSizeMustHoldThePartitionsAndTheGptBackup() {
    assertThat(plan("4M", part("a", "1M", "2M"), part("b", "3M", "4M"))).isNull();
    assertThat(problems)
        .containsExactly(
            "storage.disks[0].maxSize: is smaller than the partitions need"
                + " (they need 5M, with 1M at the end for the GPT backup)");
    problems.clear();
    // A growing last partition needs at least 1 MiB of its own.
    assertThat(plan("3M", part("a", "1M", "3M"), part("b", "3M", null))).isNull();
    assertThat(problems).hasSize(1).first().asString().contains("they need 5M");
  }

  @Test
  void maxSizeMustBePositive() {
    assertThat(plan("0M")).isNull();
    assertThat(problems).containsExactly("storage.disks[0].maxSize: must be greater than zero");
  }

  @Test
  void withoutMaxSizeTheLastPartitionNeedsAnEnd() {
    assertThat(plan(null)).isNull();
    assertThat(problems).containsExactly("storage.disks[0]: must give maxSize or partitions");
    problems.clear();
    assertThat(plan(null, sized("a", null, "1M"), part("b", null, null))).isNull();
    assertThat(problems)
        .containsExactly(
            "storage.disks[0].maxSize: must be given when the last partition has neither 'end' nor 'size'");
    problems.clear();
    assertThat(plan(null, sized("a", null, "1M"), sized("b", null, "grow"))).isNull();
    assertThat(problems)
        .containsExactly("storage.disks[0].partitions[1].size: 'grow' needs the disk's maxSize");
  }

  @Test
  void aStartAfterAGrowingPartitionMustBeGiven() {
    assertThat(plan(null, part("a", null, null), sized("b", null, "2M"))).isNull();
    assertThat(problems)
        .containsExactly(
            "storage.disks[0].partitions[1].start: must be given because the previous partition"
                + " has neither 'end' nor 'size'");
  }

  @Test
  void sizesAreWholeMibWithAUnit() {
    assertThat(DiskSize.parse("2G")).isEqualTo(new Parsed.Valid<>(new DiskSize(2048 * MIB)));
    assertThat(DiskSize.parse("1024K")).isEqualTo(new Parsed.Valid<>(new DiskSize(MIB)));
    assertThat(plan("4M", sized("a", null, "1536K"))).isNull();
    assertThat(problems)
        .containsExactly(
            "storage.disks[0].partitions[0].size: size \"1536K\" must be a whole number of MiB");
  }

  @Test
  void aBiosGrubPartitionStartsAtOneMib() {
    assertThat(plan("8M", new Partition("b", null, "2M", null, "1M", "bios-grub"))).isNull();
    assertThat(problems)
        .containsExactly(
            "storage.disks[0].partitions[0].start: a bios-grub partition must start at 1M");
  }
}
