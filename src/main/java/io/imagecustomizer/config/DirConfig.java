package io.imagecustomizer.config;

import org.jspecify.annotations.Nullable;

/** A directory tree copied into the image ({@code os.additionalDirs[]}). */
public record DirConfig(
    @Nullable String source,
    @Nullable String destination,
    @Nullable String newDirPermissions,
    @Nullable String mergedDirPermissions,
    @Nullable String childFilePermissions) {}
