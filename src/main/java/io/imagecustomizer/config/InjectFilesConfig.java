package io.imagecustomizer.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An inject-files config (upstream's {@code injectFilesConfig}, preview {@code inject-files}): the
 * files to write into an image's partitions, as {@code output.artifacts} writes it beside the
 * unsigned boot files it exported.
 */
public record InjectFilesConfig(
    List<InjectFile> injectFiles, List<PreviewFeature> previewFeatures) {
  public InjectFilesConfig {
    injectFiles = Lists.of(injectFiles);
    previewFeatures = Lists.of(previewFeatures);
  }

  /**
   * One file: {@code source} (relative to the config's folder, or absolute) written to {@code
   * destination} inside the partition; {@code type} only tells the signer what the file is.
   */
  public record InjectFile(
      @Nullable PartitionId partition,
      @Nullable String destination,
      @Nullable String source,
      @Nullable String type) {}

  /** A partition by filesystem UUID, partition UUID (the default) or partition label. */
  public record PartitionId(@Nullable String idType, @Nullable String id) {
    /** The identifier kind; upstream reads a missing or empty one as part-uuid. */
    public MountIdType mountIdType() {
      if (idType == null || idType.isEmpty()) {
        return MountIdType.PART_UUID;
      }
      return switch (idType) {
        case "uuid" -> MountIdType.UUID;
        case "part-uuid" -> MountIdType.PART_UUID;
        case "part-label" -> MountIdType.PART_LABEL;
        default -> throw new IllegalStateException("unchecked idType " + idType);
      };
    }
  }
}
