package io.imagecustomizer.config;

import io.imagecustomizer.config.yaml.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A config with the configs it builds on ({@code baseConfigs}, preview feature base-configs), in
 * the order they apply: each base's own bases first, the named file last. Settings that hold one
 * value take the last config's that sets it; kernel arguments and media files add up; the {@code
 * os} lists and scripts are applied config by config, each with paths relative to its own file.
 */
public record ConfigChain(List<LoadedConfig> members) {
  public ConfigChain {
    members = List.copyOf(members);
  }

  /** Reads {@code file} and, depth first, every base config it names. */
  public static ConfigChain load(Path file) {
    List<LoadedConfig> members = new ArrayList<>();
    Map<Path, List<Problem>> problems = new LinkedHashMap<>();
    collect(ConfigLoader.load(file), new LinkedHashSet<>(), members, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new ConfigChain(members);
  }

  private static void collect(
      LoadedConfig config,
      Set<Path> including,
      List<LoadedConfig> members,
      Map<Path, List<Problem>> problems) {
    including.add(config.file());
    List<BaseConfig> bases = config.config().baseConfigs();
    for (int i = 0; i < bases.size(); i++) {
      String path = bases.get(i).path();
      if (path == null || path.isBlank()) {
        continue;
      }
      Path base = config.resolve(path);
      String at = "baseConfigs[" + i + "].path";
      if (including.contains(base)) {
        List<String> cycle = new ArrayList<>();
        including.forEach(p -> cycle.add(p.getFileName().toString()));
        cycle.add(base.getFileName().toString());
        problems
            .computeIfAbsent(config.file(), f -> new ArrayList<>())
            .add(
                new Problem(
                    at,
                    config.positions().valueOf(at),
                    "cycle in baseConfigs: " + String.join(" -> ", cycle),
                    "a config cannot build on itself"));
        continue;
      }
      try {
        collect(ConfigLoader.load(base), including, members, problems);
      } catch (ConfigException e) {
        problems.putAll(e.problemsByFile());
      }
    }
    including.remove(config.file());
    members.add(config);
  }

  /** The file named on the command line. */
  public LoadedConfig main() {
    return members.get(members.size() - 1);
  }

  /** Every problem of every member, plus the chain's own rules; throws if there is any. */
  public void validate(boolean checkFiles) {
    Map<Path, List<Problem>> problems = new LinkedHashMap<>();
    LoadedConfig withStorage = null;
    for (LoadedConfig member : members) {
      Problems found = ConfigValidator.validate(member, checkFiles);
      if (!member.config().storage().isEmpty()) {
        if (withStorage != null) {
          found.add(
              "storage",
              "storage may only be given in one config of the chain; "
                  + withStorage.file().getFileName()
                  + " has it too");
        }
        withStorage = member;
      }
      if (!found.isEmpty()) {
        problems.put(member.file(), found.all());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /**
   * The settings of the whole chain as one config, for everything that is not applied config by
   * config. Paths in it are absolute, since its members sit in different folders.
   */
  public LoadedConfig merged() {
    if (members.size() == 1) {
      return main();
    }
    Config last = main().config();
    Config merged =
        new Config(
            new Input(
                new InputImage(
                    lastPath(c -> c.input().image().path()),
                    lastValue(c -> c.input().image().oci()),
                    lastValue(c -> c.input().image().azureLinux()))),
            members.stream()
                .map(m -> m.config().storage())
                .filter(s -> !s.isEmpty())
                .findFirst()
                .orElse(null),
            iso(),
            pxe(),
            os(),
            last.scripts(),
            unionPreviews(),
            new Output(
                new OutputImage(
                    lastPath(c -> c.output().image().path()),
                    lastValue(c -> c.output().image().format()),
                    lastValue(c -> c.output().image().cosi())),
                artifacts(),
                lastPath(c -> c.output().selinuxPolicyPath())),
            List.of());
    return new LoadedConfig(main().file(), merged, main().positions(), List.of(), List.of());
  }

  private @Nullable Iso iso() {
    if (members.stream().allMatch(m -> m.config().iso() == null)) {
      return null;
    }
    List<String> args = new ArrayList<>();
    List<AdditionalFile> files = new ArrayList<>();
    for (LoadedConfig member : members) {
      Iso iso = member.config().iso();
      if (iso != null) {
        args.addAll(iso.extraCommandLine());
        iso.additionalFiles().forEach(f -> files.add(absolute(member, f)));
      }
    }
    return new Iso(
        new KernelCommandLine(args),
        files,
        lastValue(c -> c.iso() == null ? null : c.iso().initramfsType()),
        lastValue(c -> c.iso() == null ? null : c.iso().kdumpBootFiles()));
  }

  private @Nullable Pxe pxe() {
    if (members.stream().allMatch(m -> m.config().pxe() == null)) {
      return null;
    }
    List<String> args = new ArrayList<>();
    List<AdditionalFile> files = new ArrayList<>();
    for (LoadedConfig member : members) {
      Pxe pxe = member.config().pxe();
      if (pxe != null) {
        args.addAll(pxe.extraCommandLine());
        pxe.additionalFiles().forEach(f -> files.add(absolute(member, f)));
      }
    }
    return new Pxe(
        new KernelCommandLine(args),
        files,
        lastValue(c -> c.pxe() == null ? null : c.pxe().initramfsType()),
        lastValue(c -> c.pxe() == null ? null : c.pxe().bootstrapBaseUrl()),
        lastValue(c -> c.pxe() == null ? null : c.pxe().bootstrapFileUrl()),
        lastValue(c -> c.pxe() == null ? null : c.pxe().kdumpBootFiles()));
  }

  /**
   * The merged single-value {@code os} settings and every config's overlays (for the steps that
   * follow from them, such as the initramfs rebuild); the other lists stay with their own configs.
   */
  private @Nullable Os os() {
    if (members.stream().allMatch(m -> m.config().os() == null)) {
      return null;
    }
    List<String> args = new ArrayList<>();
    members.forEach(
        m -> args.addAll(m.config().os() == null ? List.of() : m.config().os().extraCommandLine()));
    List<Overlay> overlays = new ArrayList<>();
    members.forEach(
        m -> overlays.addAll(m.config().os() == null ? List.of() : m.config().os().overlays()));
    boolean hardReset =
        members.stream()
            .anyMatch(
                m ->
                    m.config().os() != null
                        && m.config().os().bootloader() != null
                        && m.config().os().bootloader().resetType() == Os.ResetType.HARD_RESET);
    return new Os(
        lastValue(c -> c.os() == null ? null : c.os().hostname()),
        packages(),
        lastValue(c -> c.os() == null ? null : c.os().selinux()),
        new KernelCommandLine(args),
        null,
        null,
        null,
        null,
        null,
        null,
        overlays,
        hardReset ? new Os.Bootloader(Os.ResetType.HARD_RESET) : null,
        lastValue(c -> c.os() == null ? null : c.os().uki()),
        lastValue(c -> c.os() == null ? null : c.os().imageHistory()));
  }

  /**
   * removePackageManager as the last config that sets it says; the package lists and snapshot times
   * stay with their own configs.
   */
  private @Nullable Packages packages() {
    String snapshotTime =
        lastValue(c -> packagesOf(c) == null ? null : packagesOf(c).snapshotTime());
    Boolean removePackageManager =
        lastValue(c -> packagesOf(c) == null ? null : packagesOf(c).removePackageManager());
    if (snapshotTime == null && removePackageManager == null) {
      return null;
    }
    return new Packages(
        null, null, null, null, null, null, null, snapshotTime, removePackageManager);
  }

  private static @Nullable Packages packagesOf(Config config) {
    return config.os() == null ? null : config.os().packages();
  }

  private List<PreviewFeature> unionPreviews() {
    Set<PreviewFeature> all = new LinkedHashSet<>();
    members.forEach(m -> all.addAll(m.config().previewFeatures()));
    return new ArrayList<>(all);
  }

  private <T> @Nullable T lastValue(Function<Config, @Nullable T> field) {
    T found = null;
    for (LoadedConfig member : members) {
      T value = field.apply(member.config());
      if (value != null) {
        found = value;
      }
    }
    return found;
  }

  /** The last member's {@code output.artifacts}, its folder taken from that member's folder. */
  private @Nullable OutputArtifacts artifacts() {
    OutputArtifacts found = null;
    for (LoadedConfig member : members) {
      OutputArtifacts artifacts = member.config().output().artifacts();
      if (artifacts != null) {
        found =
            artifacts.path() == null || artifacts.path().isBlank()
                ? artifacts
                : new OutputArtifacts(
                    member.resolve(artifacts.path()).toString(), artifacts.items());
      }
    }
    return found;
  }

  private @Nullable String lastPath(Function<Config, @Nullable String> field) {
    String found = null;
    for (LoadedConfig member : members) {
      String value = field.apply(member.config());
      if (value != null && !value.isBlank()) {
        found = member.resolve(value).toString();
      }
    }
    return found;
  }

  private static AdditionalFile absolute(LoadedConfig member, AdditionalFile file) {
    return file.source() == null
        ? file
        : new AdditionalFile(
            file.destination(),
            member.resolve(file.source()).toString(),
            file.content(),
            file.permissions(),
            file.sha256hash());
  }
}
