package io.imagecustomizer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.imagecustomizer.config.yaml.YamlNames;

/**
 * How a Live OS finds its root: a small dracut initrd that mounts a squashfs (bootstrap), or the
 * whole OS packed into the initrd (full-os).
 */
public enum InitramfsType {
  @JsonProperty("bootstrap")
  BOOTSTRAP,
  @JsonProperty("full-os")
  FULL_OS;

  @Override
  public String toString() {
    return YamlNames.of(this);
  }
}
