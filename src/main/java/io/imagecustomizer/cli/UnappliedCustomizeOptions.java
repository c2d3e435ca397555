package io.imagecustomizer.cli;

import io.imagecustomizer.config.OutputFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * Upstream's customize flags that this version cannot act on yet. They are parsed, so a script
 * written for upstream gets the reason instead of "Unknown option", and refused before any work, as
 * the config fields they override are ({@code run.ConfigUse}).
 */
final class UnappliedCustomizeOptions {
  private static final Logger LOG = LoggerFactory.getLogger(UnappliedCustomizeOptions.class);

  @Option(
      names = "--image",
      paramLabel = "URI",
      description = "oci:URI or azurelinux:VARIANT:VERSION (upstream): not supported yet.")
  @Nullable String image;

  @Option(
      names = "--image-cache-dir",
      paramLabel = "DIR",
      description = "Download cache for --image (upstream): not supported yet.")
  @Nullable Path imageCacheDir;

  @Option(
      names = "--package-snapshot-time",
      paramLabel = "TIME",
      description = "Packages as of a date (upstream, preview): not supported yet.")
  @Nullable String packageSnapshotTime;

  @Option(
      names = "--cosi-compression-level",
      paramLabel = "LEVEL",
      description = "zstd level of cosi outputs (upstream): not supported yet.")
  @Nullable Integer cosiCompressionLevel;

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

  /**
   * Refuses, naming each, the flags given that this version cannot apply.
   *
   * @param format the run's output format, when the command line gives one
   */
  void refuseGiven(@Nullable OutputFormat format) {
    List<String> refused = new ArrayList<>();
    if (image != null) {
      refused.add(
          "--image "
              + image
              + ": pulling the input image from a registry is not supported yet; download it and"
              + " give it with --image-file");
    } else if (imageCacheDir != null) {
      LOG.info(
          "--image-cache-dir {} is only used with --image; nothing is downloaded", imageCacheDir);
    }
    if (packageSnapshotTime != null) {
      refused.add("--package-snapshot-time: package snapshots are not supported yet");
    }
    if (cosiCompressionLevel != null) {
      boolean cosi = format == OutputFormat.COSI || format == OutputFormat.BAREMETAL_IMAGE;
      refused.add(
          cosi
              ? "--cosi-compression-level: the cosi and baremetal-image outputs are not supported"
                  + " yet"
              : "--cosi-compression-level can only be given with --output-image-format cosi or"
                  + " baremetal-image");
    }
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
