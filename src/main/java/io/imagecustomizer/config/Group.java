package io.imagecustomizer.config;

import org.jspecify.annotations.Nullable;

/** A group to create ({@code os.groups[]}). */
public record Group(@Nullable String name, @Nullable Integer gid) {}
