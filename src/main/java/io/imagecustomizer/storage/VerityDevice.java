package io.imagecustomizer.storage;

import io.imagecustomizer.config.MountIdType;
import io.imagecustomizer.config.Verity;
import org.jspecify.annotations.Nullable;

/**
 * One verity device whose hash tree a run writes, whether {@code storage.verity} adds it or the
 * input has it already ({@code storage.reinitializeVerity}).
 *
 * @param name {@code root} or {@code usr}: the device-mapper name
 * @param data the data partition's number
 * @param hash the hash partition's number
 * @param dataIdType how the kernel command line names the data partition; null for part-uuid
 * @param hashIdType how it names the hash partition; null for part-uuid
 * @param corruption the kernel's reaction to a corrupted block; null for io-error
 */
public record VerityDevice(
    String name,
    int data,
    int hash,
    @Nullable MountIdType dataIdType,
    @Nullable MountIdType hashIdType,
    Verity.@Nullable CorruptionOption corruption) {

  /** The device-mapper path fstab mounts it by. */
  public String mapperPath() {
    return "/dev/mapper/" + name;
  }
}
