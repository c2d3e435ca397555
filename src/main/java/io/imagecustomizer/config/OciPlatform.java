package io.imagecustomizer.config;

import io.imagecustomizer.config.yaml.YamlShape;
import org.jspecify.annotations.Nullable;

/** The platform of an OCI artifact; YAML may give it as {@code os/architecture}. */
@YamlShape(YamlShape.Kind.SLASH_SEPARATED)
public record OciPlatform(@Nullable String os, @Nullable String architecture) {}
