package io.imagecustomizer.config;

import io.imagecustomizer.config.yaml.YamlShape;
import org.jspecify.annotations.Nullable;

/** Where and how a filesystem is mounted; YAML may give just the path. */
@YamlShape(value = YamlShape.Kind.SCALAR_AS_FIELD, field = "path")
public record MountPoint(
    @Nullable MountIdType idType, @Nullable String options, @Nullable String path) {}
