package io.imagecustomizer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.imagecustomizer.config.yaml.YamlShape;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Changes to the operating system inside the image ({@code os}). */
public record Os(
    @Nullable String hostname,
    @Nullable Packages packages,
    @Nullable Selinux selinux,
    @Nullable KernelCommandLine kernelCommandLine,
    @YamlShape(YamlShape.Kind.SOURCE_DESTINATION_MAP) List<AdditionalFile> additionalFiles,
    List<DirConfig> additionalDirs,
    List<Group> groups,
    List<User> users,
    @Nullable Services services,
    List<Module> modules,
    List<Overlay> overlays,
    @Nullable Bootloader bootloader,
    @Nullable Uki uki,
    @Nullable ImageHistory imageHistory) {

  public Os {
    additionalFiles = Lists.of(additionalFiles);
    additionalDirs = Lists.of(additionalDirs);
    groups = Lists.of(groups);
    users = Lists.of(users);
    modules = Lists.of(modules);
    overlays = Lists.of(overlays);
  }

  public List<String> extraCommandLine() {
    return KernelCommandLine.argsOf(kernelCommandLine);
  }

  public @Nullable SelinuxMode selinuxMode() {
    return selinux == null ? null : selinux.mode();
  }

  /** SELinux setting ({@code os.selinux}). */
  public record Selinux(@Nullable SelinuxMode mode) {}

  /** The SELinux mode to configure; absent keeps the image's. */
  public enum SelinuxMode {
    @JsonProperty("disabled")
    DISABLED,
    @JsonProperty("permissive")
    PERMISSIVE,
    @JsonProperty("enforcing")
    ENFORCING,
    @JsonProperty("force-enforcing")
    FORCE_ENFORCING
  }

  /** {@code os.services}: units to enable and disable. */
  public record Services(List<String> enable, List<String> disable) {
    public Services {
      enable = Lists.of(enable);
      disable = Lists.of(disable);
    }
  }

  /** {@code os.bootloader}. */
  public record Bootloader(@Nullable ResetType resetType) {}

  /** Regenerate the boot loader configuration from scratch. */
  public enum ResetType {
    @JsonProperty("hard-reset")
    HARD_RESET
  }

  /** {@code os.uki} (preview feature uki). */
  public record Uki(@Nullable UkiMode mode) {}

  /** How unified kernel images are produced. */
  public enum UkiMode {
    @JsonProperty("create")
    CREATE,
    @JsonProperty("passthrough")
    PASSTHROUGH,
    @JsonProperty("modify")
    MODIFY
  }

  /** {@code os.imageHistory: none} turns off the history file. */
  public enum ImageHistory {
    @JsonProperty("none")
    NONE
  }
}
