package io.imagecustomizer.config;

import org.jspecify.annotations.Nullable;

/** The base image: a local file, an OCI artifact, or a published Azure Linux image. */
public record InputImage(
    @Nullable String path, @Nullable OciImage oci, @Nullable AzureLinuxImage azureLinux) {
  static final InputImage EMPTY = new InputImage(null, null, null);
}
