package io.imagecustomizer.run;

import io.imagecustomizer.config.Config;
import io.imagecustomizer.config.ConfigChain;
import io.imagecustomizer.config.ConfigException;
import io.imagecustomizer.config.FileSystem;
import io.imagecustomizer.config.LoadedConfig;
import io.imagecustomizer.config.Os;
import io.imagecustomizer.config.OutputArtifacts;
import io.imagecustomizer.config.Storage;
import io.imagecustomizer.config.yaml.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * What happens to each config field: applied by a stage ({@link RunStage#applies()}), read before
 * the run by the config loader and the run settings, or refused by {@code customize} because this
 * version cannot apply it yet. A test walks every field of the records and fails unless each is in
 * exactly one of these, so no field is ever accepted and quietly dropped.
 */
public final class ConfigUse {
  private ConfigUse() {}

  /** Fields that shape the run itself, read by the config loader and the run settings. */
  public static final List<String> READ_BEFORE_RUN =
      List.of(
          "baseConfigs", // ConfigChain merges them
          "previewFeatures", // the validator gates fields on them
          "input.image.oci", // RunSettings has it pulled into the image cache
          "input.image.azureLinux"); // RunSettings refuses it, with a hint

  /** Fields this version refuses, each with what applying it needs. */
  public static final Map<String, String> REFUSED = refused();

  private static Map<String, String> refused() {
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("storage.verity[].hashSignaturePath", "verity root hash signatures");
    refused.put("output.selinuxPolicyPath", "writing out the SELinux policy");
    return Map.copyOf(refused);
  }

  /**
   * A field this version applies, except for some values: {@code refused} says which, {@code needs}
   * what applying them needs.
   */
  public record RefusedValue(String field, BiPredicate<Object, Config> refused, String needs) {}

  /** Values refused in fields that are otherwise applied. */
  public static final List<RefusedValue> REFUSED_VALUES =
      List.of(
          new RefusedValue(
              "storage",
              (s, config) -> ConfigUse.btrfsOnVerity((Storage) s),
              "btrfs on a verity device (a storage.filesystems entry of type btrfs whose"
                  + " deviceId is a storage.verity id)"),
          new RefusedValue(
              "output.artifacts.items[]",
              (item, config) -> item == OutputArtifacts.Item.SHIM && createsUkis(config),
              "a shim artifact with os.uki.mode create (upstream keeps shim in front of"
                  + " systemd-boot; this version makes systemd-boot the firmware's loader, so there"
                  + " is no shim to sign: ask for bootloader and ukis)"),
          new RefusedValue(
              "os.selinux.mode",
              (mode, config) ->
                  config.os().uki() != null && config.os().uki().mode() == Os.UkiMode.MODIFY,
              "SELinux kernel arguments in UKI addons (os.selinux.mode with os.uki.mode"
                  + " modify)"));

  private static boolean createsUkis(Config config) {
    return config.os() != null
        && config.os().uki() != null
        && config.os().uki().mode() == Os.UkiMode.CREATE;
  }

  private static boolean btrfsOnVerity(Storage storage) {
    return storage.filesystems().stream()
        .anyMatch(
            fs ->
                fs.type() == FileSystem.Type.BTRFS
                    && storage.verity().stream()
                        .anyMatch(v -> v.id() != null && v.id().equals(fs.deviceId())));
  }

  /**
   * The refused fields and values that the configs of {@code chain} set, by file, at their keys.
   */
  public static Map<Path, List<Problem>> unapplied(ConfigChain chain) {
    Map<Path, List<Problem>> byFile = new LinkedHashMap<>();
    for (LoadedConfig member : chain.members()) {
      List<Problem> problems = new ArrayList<>();
      REFUSED.keySet().stream()
          .sorted()
          .forEach(
              field -> {
                for (String path : ConfigFields.setPaths(member.config(), field)) {
                  problems.add(refusal(member, path, REFUSED.get(field)));
                }
              });
      for (RefusedValue value : REFUSED_VALUES) {
        ConfigFields.setValues(member.config(), value.field())
            .forEach(
                (path, set) -> {
                  if (value.refused().test(set, member.config())) {
                    problems.add(refusal(member, path, value.needs()));
                  }
                });
      }
      if (!problems.isEmpty()) {
        problems.sort(
            (a, b) -> {
              int line = Integer.compare(line(a), line(b));
              return line != 0 ? line : a.path().compareTo(b.path());
            });
        byFile.put(member.file(), problems);
      }
    }
    return byFile;
  }

  private static Problem refusal(LoadedConfig member, String path, String needs) {
    return new Problem(
        path,
        member.positions().keyOf(path),
        "not supported yet: this version of imagecustomizer does not apply " + needs,
        "remove it from the config; nothing was changed");
  }

  /**
   * Refuses, before any work, a run whose configs set a field this version does not apply.
   *
   * @throws ConfigException naming each such field with its file, line and column (exit 2)
   */
  public static void refuseUnapplied(ConfigChain chain) {
    Map<Path, List<Problem>> unapplied = unapplied(chain);
    if (!unapplied.isEmpty()) {
      throw new ConfigException(unapplied);
    }
  }

  private static int line(Problem problem) {
    return problem.position() == null ? 0 : problem.position().line();
  }
}
