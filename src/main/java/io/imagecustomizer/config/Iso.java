package io.imagecustomizer.config;

import io.imagecustomizer.config.yaml.YamlShape;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Live OS ISO settings ({@code iso}). */
public record Iso(
    @Nullable KernelCommandLine kernelCommandLine,
    @YamlShape(YamlShape.Kind.SOURCE_DESTINATION_MAP) List<AdditionalFile> additionalFiles,
    @Nullable InitramfsType initramfsType,
    @Nullable KdumpBootFiles kdumpBootFiles) {
  public Iso {
    additionalFiles = Lists.of(additionalFiles);
  }

  public List<String> extraCommandLine() {
    return KernelCommandLine.argsOf(kernelCommandLine);
  }
}
