package io.imagecustomizer.customize.steps;

import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import java.util.Set;

/**
 * {@code os.kernelCommandLine.extraCommandLine}: appended to every kernel line of grub.cfg, unless
 * the boot loader is reset, which writes them into the configuration it generates.
 */
public final class KernelCommandLineStep implements Step {
  @Override
  public String name() {
    return "kernel command line";
  }

  @Override
  public Set<String> applies() {
    return Set.of("os.kernelCommandLine");
  }

  @Override
  public boolean perConfig() {
    return false;
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return context.os().map(os -> !os.extraCommandLine().isEmpty()).orElse(false)
        && !BootLoaderResetStep.isHardReset(context);
  }

  @Override
  public void run(CustomizeContext context) {
    BootLoaderConfig.edit(
        context.root(),
        "add kernel arguments",
        grub -> grub.appendArgs(context.os().orElseThrow().extraCommandLine()));
  }
}
