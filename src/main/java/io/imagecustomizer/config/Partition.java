package io.imagecustomizer.config;

import org.jspecify.annotations.Nullable;

/**
 * A partition of a new disk. Sizes are strings such as {@code 100M}; {@code size} may also be
 * {@code grow}; {@code type} is a well-known name ({@code esp}, {@code root}, ...) or a GPT type
 * GUID.
 */
public record Partition(
    @Nullable String id,
    @Nullable String label,
    @Nullable String start,
    @Nullable String end,
    @Nullable String size,
    @Nullable String type) {}
