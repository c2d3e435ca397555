package io.imagecustomizer.config;

import java.util.List;

/** Scripts run inside the image ({@code scripts}). */
public record Scripts(List<Script> postCustomization, List<Script> finalizeCustomization) {
  static final Scripts EMPTY = new Scripts(null, null);

  public Scripts {
    postCustomization = Lists.of(postCustomization);
    finalizeCustomization = Lists.of(finalizeCustomization);
  }

  public boolean isEmpty() {
    return postCustomization.isEmpty() && finalizeCustomization.isEmpty();
  }
}
