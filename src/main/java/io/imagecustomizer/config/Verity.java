package io.imagecustomizer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** A dm-verity device ({@code storage.verity[]}). */
public record Verity(
    @Nullable String id,
    @Nullable String name,
    @Nullable String dataDeviceId,
    @Nullable IdentifiedPartition dataDevice,
    @Nullable MountIdType dataDeviceMountIdType,
    @Nullable String hashDeviceId,
    @Nullable IdentifiedPartition hashDevice,
    @Nullable MountIdType hashDeviceMountIdType,
    @Nullable CorruptionOption corruptionOption,
    @Nullable String hashSignaturePath) {

  /** An existing partition, found by its label. */
  public record IdentifiedPartition(@Nullable IdType idType, @Nullable String id) {}

  /** Existing partitions are found by label only. */
  public enum IdType {
    @JsonProperty("part-label")
    PART_LABEL
  }

  /** What the kernel does when verification fails. */
  public enum CorruptionOption {
    @JsonProperty("io-error")
    IO_ERROR,
    @JsonProperty("ignore")
    IGNORE,
    @JsonProperty("panic")
    PANIC,
    @JsonProperty("restart")
    RESTART
  }
}
