package io.imagecustomizer.config;

import org.jspecify.annotations.Nullable;

/** A config file this one builds on ({@code baseConfigs[]}, preview feature base-configs). */
public record BaseConfig(@Nullable String path) {}
