package io.imagecustomizer.customize.steps;

import io.imagecustomizer.customize.Pipeline;
import java.util.List;

/** The OS customization steps, in upstream's order (upstream-spec.md §6). */
public final class StandardSteps {
  private StandardSteps() {}

  /** The standard OS customization steps. */
  public static Pipeline pipeline() {
    return new Pipeline(
        List.of(
            new UkiInputStep(),
            new PackagesStep(),
            new HostnameStep(),
            new GroupsStep(),
            new UsersStep(),
            new AdditionalDirsStep(),
            new AdditionalFilesStep(),
            new ServicesStep(),
            new ModulesStep(),
            new ReleaseFileStep(),
            new ImageHistoryStep(),
            new KernelCommandLineStep(),
            new BootLoaderResetStep(),
            new SelinuxStep(),
            new OverlaysStep(),
            new VerityStep(),
            new InitramfsStep(),
            ScriptsStep.postCustomization(),
            new UkiStep(),
            new PackageManagerRemovalStep()),
        List.of(ScriptsStep.finalizeCustomization()));
  }
}
