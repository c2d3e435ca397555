package io.imagecustomizer.config;

import org.jspecify.annotations.Nullable;

/** A published Azure Linux image, e.g. variant {@code minimal-os}, version {@code 3.0}. */
public record AzureLinuxImage(@Nullable String variant, @Nullable String version) {}
