package io.imagecustomizer.config;

import io.imagecustomizer.error.ImageCustomizerException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An OCI artifact's address, {@code registry/repository[:tag][@digest]}, read with the rules of the
 * OCI distribution reference grammar that upstream's oras-go applies: a registry host is required
 * (no docker.io default), and a digest wins over a tag. Neither is valid, as upstream's, but cannot
 * be pulled.
 */
public record OciReference(
    String registry, String repository, @Nullable String tag, @Nullable String digest) {
  private static final Pattern REGISTRY =
      Pattern.compile("^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]+)?$");
  private static final Pattern REPOSITORY =
      Pattern.compile(
          "^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$");
  private static final Pattern TAG = Pattern.compile("^\\w[\\w.-]{0,127}$");
  private static final Pattern DIGEST = Pattern.compile("^sha256:[0-9a-f]{64}$");

  /**
   * Reads {@code uri}.
   *
   * @throws ImageCustomizerException saying what part is wrong
   */
  public static OciReference parse(String uri) {
    int slash = uri.indexOf('/');
    if (slash <= 0 || slash == uri.length() - 1) {
      throw invalid(uri, "missing registry or repository");
    }
    String registry = uri.substring(0, slash);
    String rest = uri.substring(slash + 1);
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw invalid(uri, "invalid digest \"" + digest + "\" (sha256:<64 hex digits>)");
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw invalid(uri, "invalid tag \"" + tag + "\"");
      }
    }
    if (!REGISTRY.matcher(registry).matches()) {
      throw invalid(uri, "invalid registry \"" + registry + "\"");
    }
    if (!REPOSITORY.matcher(rest).matches()) {
      throw invalid(uri, "invalid repository \"" + rest + "\"");
    }
    return new OciReference(registry, rest, tag, digest);
  }

  /**
   * What the registry is asked for: the digest if given, else the tag.
   *
   * @throws ImageCustomizerException when there is neither (a valid reference, as upstream's, that
   *     no registry can resolve)
   */
  public String reference() {
    if (digest == null && tag == null) {
      throw invalid(toString(), "no tag or digest to pull");
    }
    return digest != null ? digest : tag;
  }

  @Override
  public String toString() {
    return registry
        + "/"
        + repository
        + (tag == null ? "" : ":" + tag)
        + (digest == null ? "" : "@" + digest);
  }

  private static ImageCustomizerException invalid(String uri, String why) {
    return new ImageCustomizerException(
        "invalid OCI reference \"" + uri + "\": " + why,
        "give registry/repository:tag or registry/repository@sha256:<digest>, e.g."
            + " mcr.microsoft.com/azurelinux/3.0/image/minimal-os:latest");
  }
}
