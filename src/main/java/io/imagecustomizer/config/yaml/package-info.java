/**
 * Reading YAML into a checked tree: the text, its positions, the older schemas and short forms, and
 * the problems found on the way.
 *
 * <p>This package sits below {@code io.imagecustomizer.config} and never imports it: the config
 * records use its annotations ({@link io.imagecustomizer.config.yaml.YamlShape}) and its problems,
 * and the loader drives it with a record type to walk. {@link
 * io.imagecustomizer.config.yaml.Problem} and {@link io.imagecustomizer.config.yaml.Position} live
 * here because the reader is the first to find a problem; everything above reports with the same
 * types.
 */
package io.imagecustomizer.config.yaml;
