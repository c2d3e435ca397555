package io.imagecustomizer.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An image customization configuration, mirroring the upstream YAML schema. Sections that upstream
 * treats as always present ({@code input}, {@code storage}, {@code scripts}, {@code output}) are
 * never null; {@code iso}, {@code pxe} and {@code os} are null when the file does not name them,
 * because their presence alone changes what a run does.
 */
public record Config(
    Input input,
    Storage storage,
    @Nullable Iso iso,
    @Nullable Pxe pxe,
    @Nullable Os os,
    Scripts scripts,
    List<PreviewFeature> previewFeatures,
    Output output,
    List<BaseConfig> baseConfigs) {

  public Config {
    input = input == null ? Input.EMPTY : input;
    storage = storage == null ? Storage.EMPTY : storage;
    scripts = scripts == null ? Scripts.EMPTY : scripts;
    previewFeatures = Lists.of(previewFeatures);
    output = output == null ? Output.EMPTY : output;
    baseConfigs = Lists.of(baseConfigs);
  }

  public boolean hasPreview(PreviewFeature feature) {
    return previewFeatures.contains(feature);
  }
}
