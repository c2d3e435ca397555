package io.imagecustomizer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A disk of the new layout ({@code storage.disks[]}). */
public record Disk(
    @Nullable PartitionTableType partitionTableType,
    @Nullable String maxSize,
    List<Partition> partitions) {
  public Disk {
    partitions = Lists.of(partitions);
  }

  /** Only GPT is supported, as upstream. */
  public enum PartitionTableType {
    @JsonProperty("gpt")
    GPT
  }
}
