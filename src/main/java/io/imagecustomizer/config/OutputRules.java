package io.imagecustomizer.config;

import static io.imagecustomizer.config.Checks.blank;

/** The rules of {@code output}. */
final class OutputRules {
  private final Checks checks;
  private final Problems problems;

  OutputRules(Checks checks) {
    this.checks = checks;
    this.problems = checks.problems();
  }

  void check(Output output) {
    CosiConfig cosi = output.image().cosi();
    if (cosi != null && cosi.compression() != null && cosi.compression().level() != null) {
      int level = cosi.compression().level();
      if (level < 1 || level > 22) {
        problems.add("output.image.cosi.compression.level", "must be between 1 and 22");
      }
    }
    if (output.artifacts() != null) {
      checks.needsPreview("output.artifacts", PreviewFeature.OUTPUT_ARTIFACTS);
      if (blank(output.artifacts().path()) || output.artifacts().items().isEmpty()) {
        problems.add("output.artifacts", "'items' and 'path' must both be given and not empty");
      }
    }
    if (output.selinuxPolicyPath() != null) {
      checks.needsPreview("output.selinuxPolicyPath", PreviewFeature.OUTPUT_SELINUX_POLICY);
    }
    if (output.image().path() != null && output.image().path().isBlank()) {
      problems.add("output.image.path", "must not be empty");
    }
  }
}
