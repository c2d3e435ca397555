package io.imagecustomizer.config;

import io.imagecustomizer.config.yaml.YamlShape;
import org.jspecify.annotations.Nullable;

/** An OCI artifact holding a base image; YAML may give just the URI as a string. */
@YamlShape(value = YamlShape.Kind.SCALAR_AS_FIELD, field = "uri")
public record OciImage(@Nullable String uri, @Nullable OciPlatform platform) {}
