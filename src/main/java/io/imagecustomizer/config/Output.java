package io.imagecustomizer.config;

import org.jspecify.annotations.Nullable;

/** What to write ({@code output}). */
public record Output(
    OutputImage image, @Nullable OutputArtifacts artifacts, @Nullable String selinuxPolicyPath) {
  static final Output EMPTY = new Output(null, null, null);

  public Output {
    image = image == null ? OutputImage.EMPTY : image;
  }
}
