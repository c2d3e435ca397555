package io.imagecustomizer.oci;

import io.imagecustomizer.config.OciPlatform;
import io.imagecustomizer.config.OciReference;
import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.resource.TempDir;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A base image pulled from an OCI artifact into the image cache, as upstream lays it out: the layer
 * whose title ({@code org.opencontainers.image.title}) ends in a disk image extension, saved as
 * {@code <cache>/digests/sha256/<manifest hex>/<title>}. The tag is resolved on every run; a
 * manifest already in the cache costs no download. Only that layer is fetched (upstream fetches
 * every titled layer).
 */
public final class OciPull {
  private static final Logger LOG = LoggerFactory.getLogger(OciPull.class);

  /** The layer titles upstream takes as a disk image (case matters, as upstream's). */
  public static final List<String> IMAGE_EXTENSIONS =
      List.of(".vhdx", ".vhd", ".qcow2", ".img", ".raw");

  static final String TITLE = "org.opencontainers.image.title";

  private OciPull() {}

  /** The platform to pick from an image index: given, or this machine's Linux. */
  public record Platform(String os, String architecture) {
    public static Platform of(@Nullable OciPlatform platform) {
      Platform host = host();
      if (platform == null) {
        return host;
      }
      return new Platform(
          platform.os() == null ? "" : platform.os(),
          platform.architecture() == null ? host.architecture() : platform.architecture());
    }

    static Platform host() {
      String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
      return new Platform(
          "linux",
          switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
          });
    }

    @Override
    public String toString() {
      return os + "/" + architecture;
    }
  }

  /** Pulls what a run's settings ask for from its registry; returns the image file. */
  public static Path pull(RunSettings.Pull pull) {
    return pull(
        Registry.of(pull.reference().registry()),
        pull.reference(),
        Platform.of(pull.platform()),
        pull.cacheDir());
  }

  /** Pulls the disk image of {@code reference} into {@code cacheDir}; returns the image file. */
  public static Path pull(
      Registry registry, OciReference reference, Platform platform, Path cacheDir) {
    String repository = reference.repository();
    Registry.Manifest manifest = resolve(registry, reference, platform);
    JsonNode layer = imageLayer(reference, manifest.body());
    String title = layer.path("annotations").path(TITLE).asString();
    Path folder =
        cacheDir.resolve("digests/sha256").resolve(manifest.digest().substring("sha256:".length()));
    Path image = folder.resolve(title);
    if (Files.isRegularFile(image)) {
      LOG.info("Using {} from the image cache ({})", title, folder);
      return image;
    }
    String digest = layer.path("digest").asString();
    long size = layer.path("size").asLong(-1);
    LOG.info("Downloading {} ({} MiB) from {}", title, size / (1024 * 1024), reference);
    try (TempDir staging = TempDir.create(folder.getParent(), folder.getFileName() + ".tmp")) {
      registry.blob(repository, digest, size, staging.path().resolve(title));
      if (Files.exists(folder)) {
        // a folder without its image: a copy cut short by hand; the new one replaces it
        TempDir.deleteTree(folder);
      }
      try {
        Files.move(staging.path(), folder, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IllegalStateException("a folder moves atomically within its parent", e);
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot keep " + title + " in " + folder, e);
    }
    return image;
  }

  /**
   * The manifest of {@code reference} for {@code platform}, checked to hold one disk image layer,
   * without downloading it: what {@code validate-config --validate-resources oci} asks.
   */
  public static Registry.Manifest check(
      Registry registry, OciReference reference, Platform platform) {
    Registry.Manifest manifest = resolve(registry, reference, platform);
    imageLayer(reference, manifest.body());
    return manifest;
  }

  private static Registry.Manifest resolve(
      Registry registry, OciReference reference, Platform platform) {
    String repository = reference.repository();
    Registry.Manifest manifest = registry.manifest(repository, reference.reference());
    if (manifest.mediaType().equals(Registry.OCI_INDEX)
        || manifest.mediaType().equals(Registry.DOCKER_LIST)) {
      return registry.manifest(repository, forPlatform(reference, manifest.body(), platform));
    }
    if (!manifest.mediaType().equals(Registry.OCI_MANIFEST)
        && !manifest.mediaType().equals(Registry.DOCKER_MANIFEST)) {
      throw new ImageCustomizerException(
          reference + " is a " + manifest.mediaType() + ", not an OCI image manifest",
          "push the disk image as a layer of an OCI manifest (e.g. oras push)");
    }
    return manifest;
  }

  /** The digest of the index entry for {@code platform}: the first whose OS and arch match. */
  private static String forPlatform(OciReference reference, JsonNode index, Platform platform) {
    List<String> offered = new ArrayList<>();
    for (JsonNode entry : index.path("manifests")) {
      JsonNode p = entry.path("platform");
      String os = p.path("os").asString("");
      String arch = p.path("architecture").asString("");
      offered.add(os + "/" + arch);
      if (os.equals(platform.os()) && arch.equals(platform.architecture())) {
        return entry.path("digest").asString();
      }
    }
    throw new ImageCustomizerException(
        reference + " has no manifest for platform " + platform + " (it has " + offered + ")",
        "set input.image.oci.platform to one it has");
  }

  /** The one layer titled as a disk image, with upstream's errors for none and several. */
  private static JsonNode imageLayer(OciReference reference, JsonNode manifest) {
    List<JsonNode> images = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      String title = layer.path("annotations").path(TITLE).asString("");
      if (IMAGE_EXTENSIONS.stream().anyMatch(title::endsWith)) {
        if (title.contains("/") || title.equals("..") || title.startsWith(".")) {
          throw new ImageCustomizerException(
              reference + " names its image layer \"" + title + "\", not a plain file name",
              "the layer's org.opencontainers.image.title must be a file name");
        }
        images.add(layer);
      }
    }
    String extensions = "*" + String.join(", *", IMAGE_EXTENSIONS);
    if (images.isEmpty()) {
      throw new ImageCustomizerException(
          "no image files (" + extensions + ") found in OCI artifact " + reference,
          "the disk image must be a layer titled with its file name (oras push does that)");
    }
    if (images.size() > 1) {
      throw new ImageCustomizerException(
          "too many image files ("
              + extensions
              + ") found in OCI artifact "
              + reference
              + " (count="
              + images.size()
              + ")",
          "push one disk image per artifact");
    }
    return images.get(0);
  }
}
