/**
 * The config file as records, the values parsed once from its text ({@link
 * io.imagecustomizer.config.DiskSize}, {@link io.imagecustomizer.config.FileMode}), its loading,
 * chaining and rules, and the settings of one run.
 *
 * <p>The rules (one {@code *Rules} class per section over {@code Checks}, entered through {@link
 * io.imagecustomizer.config.ConfigValidator}) stay in this package rather than a sub-package: they
 * read the records, and {@link io.imagecustomizer.config.ConfigChain} and {@link
 * io.imagecustomizer.config.RunSettings} run them, so a sub-package would import this one and be
 * imported by it. Sub-packages sit below this one and never import it ({@code config.yaml} reads
 * the YAML and owns the problem types everything reports with).
 */
package io.imagecustomizer.config;
