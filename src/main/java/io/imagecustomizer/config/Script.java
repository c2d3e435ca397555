package io.imagecustomizer.config;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A script run in the image's chroot: a file under the config folder ({@code path}) or inline
 * {@code content}, run by {@code interpreter} (default {@code /bin/sh}). {@code sha256hash} is
 * upstream's hidden field, recorded by the image history.
 */
public record Script(
    @Nullable String path,
    @Nullable String content,
    @Nullable String interpreter,
    List<String> arguments,
    Map<String, String> environmentVariables,
    @Nullable String name,
    @Nullable String sha256hash) {
  public Script {
    arguments = Lists.of(arguments);
    environmentVariables = Lists.of(environmentVariables);
  }
}
