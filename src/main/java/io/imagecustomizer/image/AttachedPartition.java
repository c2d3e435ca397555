package io.imagecustomizer.image;

import io.imagecustomizer.image.partition.Partition;

/** A partition of an opened image with its loop device and what blkid found on it. */
public record AttachedPartition(
    Partition partition, String device, String fsType, String fsUuid, String label) {

  /** Whether an fstab source ({@code UUID=...}, {@code PARTUUID=...}, ...) names this one. */
  public boolean matches(String kind, String value) {
    return switch (kind) {
      case "UUID" -> value.equalsIgnoreCase(fsUuid);
      case "PARTUUID" -> value.equalsIgnoreCase(partition.uuid());
      case "LABEL" -> value.equals(label);
      case "PARTLABEL" -> value.equals(partition.name());
      default -> false;
    };
  }
}
