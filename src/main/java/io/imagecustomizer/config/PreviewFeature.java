package io.imagecustomizer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.imagecustomizer.config.yaml.YamlNames;

/** Opt-ins for features upstream still calls previews ({@code previewFeatures}). */
public enum PreviewFeature {
  @JsonProperty("uki")
  UKI,
  @JsonProperty("output-artifacts")
  OUTPUT_ARTIFACTS,
  @JsonProperty("inject-files")
  INJECT_FILES,
  @JsonProperty("reinitialize-verity")
  REINITIALIZE_VERITY,
  @JsonProperty("package-snapshot-time")
  PACKAGE_SNAPSHOT_TIME,
  @JsonProperty("kdump-boot-files")
  KDUMP_BOOT_FILES,
  @JsonProperty("preview-distro-version")
  PREVIEW_DISTRO_VERSION,
  @JsonProperty("base-configs")
  BASE_CONFIGS,
  @JsonProperty("input-image-oci")
  INPUT_IMAGE_OCI,
  @JsonProperty("output-selinux-policy")
  OUTPUT_SELINUX_POLICY,
  @JsonProperty("btrfs")
  BTRFS,
  @JsonProperty("create")
  CREATE,
  @JsonProperty("unsupported-distro-version")
  UNSUPPORTED_DISTRO_VERSION,
  @JsonProperty("tools-dir")
  TOOLS_DIR,
  @JsonProperty("remove-package-manager")
  REMOVE_PACKAGE_MANAGER;

  @Override
  public String toString() {
    return YamlNames.of(this);
  }
}
