package io.imagecustomizer.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** An overlayfs mount added to the image ({@code os.overlays[]}). */
public record Overlay(
    List<String> lowerDirs,
    @Nullable String upperDir,
    @Nullable String workDir,
    @Nullable String mountPoint,
    @Nullable Boolean isInitrdOverlay,
    List<String> mountDependencies,
    @Nullable String mountOptions) {
  public Overlay {
    lowerDirs = Lists.of(lowerDirs);
    mountDependencies = Lists.of(mountDependencies);
  }
}
