package io.imagecustomizer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A kernel module setting ({@code os.modules[]}). */
public record Module(
    @Nullable String name, @Nullable LoadMode loadMode, Map<String, String> options) {
  public Module {
    options = Lists.of(options);
  }

  /** Whether the module is loaded at boot. */
  public enum LoadMode {
    @JsonProperty("always")
    ALWAYS,
    @JsonProperty("auto")
    AUTO,
    @JsonProperty("disable")
    DISABLE,
    @JsonProperty("inherit")
    INHERIT
  }
}
