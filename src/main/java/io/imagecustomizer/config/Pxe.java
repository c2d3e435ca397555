package io.imagecustomizer.config;

import io.imagecustomizer.config.yaml.YamlShape;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Live OS PXE artifact settings ({@code pxe}). */
public record Pxe(
    @Nullable KernelCommandLine kernelCommandLine,
    @YamlShape(YamlShape.Kind.SOURCE_DESTINATION_MAP) List<AdditionalFile> additionalFiles,
    @Nullable InitramfsType initramfsType,
    @Nullable String bootstrapBaseUrl,
    @Nullable String bootstrapFileUrl,
    @Nullable KdumpBootFiles kdumpBootFiles) {
  public Pxe {
    additionalFiles = Lists.of(additionalFiles);
  }

  public List<String> extraCommandLine() {
    return KernelCommandLine.argsOf(kernelCommandLine);
  }
}
