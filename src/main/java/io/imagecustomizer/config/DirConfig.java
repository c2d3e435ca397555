package io.imagecustomizer.config;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A directory tree copied into the image ({@code os.additionalDirs[]}). {@code sha256hashmap} is
 * upstream's hidden field: the image history records each file's hash there, by its path under
 * {@code source}.
 */
public record DirConfig(
    @Nullable String source,
    @Nullable String destination,
    @Nullable String newDirPermissions,
    @Nullable String mergedDirPermissions,
    @Nullable String childFilePermissions,
    Map<String, String> sha256hashmap) {
  public DirConfig {
    sha256hashmap = Lists.of(sha256hashmap);
  }
}
