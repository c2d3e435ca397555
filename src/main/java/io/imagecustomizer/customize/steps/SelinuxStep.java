package io.imagecustomizer.customize.steps;

import io.imagecustomizer.boot.GrubConfig;
import io.imagecustomizer.config.Os;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code os.selinux.mode}: the mode in /etc/selinux/config and the matching kernel arguments
 * ({@code selinux=0}, or {@code security=selinux selinux=1}, plus {@code enforcing=1} when forced).
 */
public final class SelinuxStep implements Step {
  static final String CONFIG = "/etc/selinux/config";
  private static final Pattern MODE_LINE = Pattern.compile("(?m)^SELINUX=.*$");

  @Override
  public String name() {
    return "selinux";
  }

  @Override
  public Set<String> applies() {
    return Set.of("os.selinux");
  }

  @Override
  public boolean perConfig() {
    return false;
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return context.os().map(os -> os.selinuxMode() != null).orElse(false);
  }

  @Override
  public void run(CustomizeContext context) {
    Os.SelinuxMode mode = context.os().orElseThrow().selinuxMode();
    ImageRoot root = context.root();
    boolean installed = root.exists(CONFIG);
    if (!installed && mode != Os.SelinuxMode.DISABLED) {
      throw new ImageCustomizerException(
          "os.selinux.mode: SELinux is not installed in the image (no " + CONFIG + ")",
          "install the distribution's SELinux policy package through os.packages.install");
    }
    if (installed) {
      String fileMode =
          mode == Os.SelinuxMode.FORCE_ENFORCING
              ? "enforcing"
              : mode.name().toLowerCase(Locale.ROOT);
      String config = root.readString(CONFIG);
      String updated =
          MODE_LINE.matcher(config).find()
              ? MODE_LINE.matcher(config).replaceAll("SELINUX=" + fileMode)
              : config + "SELINUX=" + fileMode + "\n";
      root.write(CONFIG, updated.getBytes(StandardCharsets.UTF_8), null);
    }
    BootLoaderConfig.edit(root, "set the SELinux mode", grub -> kernelArgs(grub, mode));
  }

  static GrubConfig kernelArgs(GrubConfig grub, Os.SelinuxMode mode) {
    GrubConfig cleared =
        grub.removeExactArgs(List.of("security=selinux"))
            .removeArg("selinux")
            .removeArg("enforcing");
    return switch (mode) {
      case DISABLED -> cleared.appendArgs(List.of("selinux=0"));
      case PERMISSIVE, ENFORCING -> cleared.appendArgs(List.of("security=selinux", "selinux=1"));
      case FORCE_ENFORCING ->
          cleared.appendArgs(List.of("security=selinux", "selinux=1", "enforcing=1"));
    };
  }
}
