package io.imagecustomizer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/** Disk layout changes ({@code storage}). */
public record Storage(
    @Nullable ResetPartitionsUuids resetPartitionsUuidsType,
    @Nullable BootType bootType,
    List<Disk> disks,
    List<FileSystem> filesystems,
    List<Verity> verity,
    @Nullable ReinitializeVerity reinitializeVerity) {
  static final Storage EMPTY = new Storage(null, null, null, null, null, null);

  public Storage {
    disks = Lists.of(disks);
    filesystems = Lists.of(filesystems);
    verity = Lists.of(verity);
  }

  public boolean isEmpty() {
    return equals(EMPTY);
  }

  /**
   * The number the new disk's partition table gives partition {@code id}: partitions are written in
   * the config's order, from 1; empty when {@code storage.disks} has no such partition.
   */
  public OptionalInt newPartitionNumber(String id) {
    if (disks.isEmpty()) {
      return OptionalInt.empty();
    }
    List<Partition> partitions = disks.get(0).partitions();
    for (int i = 0; i < partitions.size(); i++) {
      if (id.equals(partitions.get(i).id())) {
        return OptionalInt.of(i + 1);
      }
    }
    return OptionalInt.empty();
  }

  /** Firmware the new partition layout boots with. */
  public enum BootType {
    @JsonProperty("efi")
    EFI,
    @JsonProperty("legacy")
    LEGACY
  }

  /** Give every partition and filesystem a fresh UUID. */
  public enum ResetPartitionsUuids {
    @JsonProperty("reset-all")
    RESET_ALL
  }

  /** Whether existing verity hash trees are rebuilt. */
  public enum ReinitializeVerity {
    @JsonProperty("none")
    NONE,
    @JsonProperty("all")
    ALL
  }
}
