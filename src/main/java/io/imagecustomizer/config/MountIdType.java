package io.imagecustomizer.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How fstab (or the kernel command line) names a partition. */
public enum MountIdType {
  @JsonProperty("uuid")
  UUID,
  @JsonProperty("part-uuid")
  PART_UUID,
  @JsonProperty("part-label")
  PART_LABEL
}
