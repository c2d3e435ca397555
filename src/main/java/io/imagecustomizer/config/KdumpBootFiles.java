package io.imagecustomizer.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a Live OS keeps the kdump kernel and initrd (preview feature kdump-boot-files). */
public enum KdumpBootFiles {
  @JsonProperty("none")
  NONE,
  @JsonProperty("keep")
  KEEP
}
