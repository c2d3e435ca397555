package io.imagecustomizer.config;

/**
 * The semantic checks of a config: everything the upstream tool rejects, and a few things it
 * silently gets wrong (relative or {@code ..} destinations). One rules class per section does the
 * work over the shared {@link Checks}. Knows nothing of images or processes; with {@code
 * checkFiles} it also checks that the files the config names exist.
 */
public final class ConfigValidator {
  private ConfigValidator() {}

  /** Every problem of the config (structural ones included), in file order. */
  public static Problems validate(LoadedConfig loaded, boolean checkFiles) {
    Checks checks = new Checks(loaded, checkFiles);
    Config config = loaded.config();
    RunRules run = new RunRules(checks);
    run.input(config.input());
    new StorageRules(checks).check(config.storage());
    new LiveOsRules(checks).check();
    if (config.os() != null) {
      new OsRules(checks).check(config.os());
    }
    new ScriptsRules(checks).check(config.scripts());
    new OutputRules(checks).check(config.output());
    run.baseConfigs();
    return checks.problems();
  }
}
