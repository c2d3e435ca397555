package io.imagecustomizer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Boot artifacts to export beside the image ({@code output.artifacts}, preview). */
public record OutputArtifacts(@Nullable String path, List<Item> items) {
  public OutputArtifacts {
    items = Lists.of(items);
  }

  /** An exportable artifact kind. */
  public enum Item {
    @JsonProperty("ukis")
    UKIS,
    @JsonProperty("shim")
    SHIM,
    @JsonProperty("bootloader")
    BOOTLOADER,
    @JsonProperty("verity-hash")
    VERITY_HASH
  }
}
