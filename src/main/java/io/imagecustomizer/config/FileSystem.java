package io.imagecustomizer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** A filesystem on a partition or verity device ({@code storage.filesystems[]}). */
public record FileSystem(
    @Nullable String deviceId,
    @Nullable Type type,
    @Nullable MountPoint mountPoint,
    @Nullable Btrfs btrfs) {

  /** Filesystem types the tool can create. */
  public enum Type {
    @JsonProperty("ext4")
    EXT4,
    @JsonProperty("xfs")
    XFS,
    @JsonProperty("fat32")
    FAT32,
    @JsonProperty("vfat")
    VFAT,
    @JsonProperty("btrfs")
    BTRFS
  }

  /** btrfs subvolumes ({@code btrfs}, preview feature btrfs). */
  public record Btrfs(java.util.List<Subvolume> subvolumes) {
    public Btrfs {
      subvolumes = Lists.of(subvolumes);
    }
  }

  /** A btrfs subvolume with an optional mount point and quota. */
  public record Subvolume(
      @Nullable String path, @Nullable MountPoint mountPoint, @Nullable Quota quota) {}

  /** btrfs qgroup limits, as sizes like {@code 10G}. */
  public record Quota(@Nullable String referencedLimit, @Nullable String exclusiveLimit) {}
}
