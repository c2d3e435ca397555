package io.imagecustomizer.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Upstream's customize flags that this version cannot act on yet. They are parsed, so a script
 * written for upstream gets the reason instead of "Unknown option", and refused before any work, as
 * the config fields they override are ({@code run.ConfigUse}).
 */
final class UnappliedCustomizeOptions {
  @Option(
      names = "--output-selinux-policy-path",
      paramLabel = "DIR",
      description = "Write out the image's SELinux policy (upstream, preview): not supported yet.")
  @Nullable Path outputSelinuxPolicyPath;

  @Option(
      names = "--tools-dir",
      paramLabel = "DIR",
      description =
          "Run the package manager from a tools tree (upstream, preview): not supported yet.")
  @Nullable Path toolsDir;

  @Option(
      names = "--setfiles-context",
      paramLabel = "LABEL",
      description = "SELinux context for setfiles (upstream): not supported yet.")
  @Nullable String setfilesContext;

  /** Refuses, naming each, the flags given that this version cannot apply. */
  void refuseGiven() {
    List<String> refused = new ArrayList<>();
    if (outputSelinuxPolicyPath != null) {
      refused.add(
          "--output-selinux-policy-path: writing out the SELinux policy is not supported yet");
    }
    if (toolsDir != null) {
      refused.add(
          "--tools-dir: running the package manager from a tools tree is not supported yet; the"
              + " image's own tdnf, dnf or apt-get is used");
    }
    if (setfilesContext != null) {
      refused.add(
          "--setfiles-context: this version does not relabel files with setfiles yet, so there is"
              + " no context to run it in");
    }
    if (!refused.isEmpty()) {
      throw new UsageException(
          String.join("\n", refused),
          "remove " + (refused.size() == 1 ? "it" : "them") + "; nothing was changed");
    }
  }
}
