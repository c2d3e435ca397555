package io.imagecustomizer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.imagecustomizer.config.yaml.YamlNames;
import java.util.Optional;

/** The formats a customize run can write. */
public enum OutputFormat {
  @JsonProperty("raw")
  RAW,
  @JsonProperty("qcow2")
  QCOW2,
  @JsonProperty("vhd")
  VHD,
  @JsonProperty("vhd-fixed")
  VHD_FIXED,
  @JsonProperty("vhdx")
  VHDX,
  @JsonProperty("iso")
  ISO,
  @JsonProperty("pxe-dir")
  PXE_DIR,
  @JsonProperty("pxe-tar")
  PXE_TAR,
  @JsonProperty("cosi")
  COSI,
  @JsonProperty("baremetal-image")
  BAREMETAL_IMAGE;

  /** Live OS outputs are built from the customized OS tree rather than converted with qemu-img. */
  public boolean isLiveOs() {
    return this == ISO || this == PXE_DIR || this == PXE_TAR;
  }

  /** cosi and baremetal-image: a tar of compressed partition images ({@code format.cosi}). */
  public boolean isCosi() {
    return this == COSI || this == BAREMETAL_IMAGE;
  }

  /**
   * zstd's level for a COSI's partition images when none is set: 22 for bare-metal images, written
   * once and deployed many times, 9 otherwise, as upstream.
   */
  public int defaultCosiLevel() {
    return this == BAREMETAL_IMAGE ? 22 : 9;
  }

  public boolean isPxe() {
    return this == PXE_DIR || this == PXE_TAR;
  }

  public static Optional<OutputFormat> parse(String text) {
    return YamlNames.parse(OutputFormat.class, text);
  }

  @Override
  public String toString() {
    return YamlNames.of(this);
  }
}
