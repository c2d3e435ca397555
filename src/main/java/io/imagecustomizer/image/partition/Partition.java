package io.imagecustomizer.image.partition;

/**
 * One partition of a disk image: its number (1-based, as the kernel names them), where it lies in
 * bytes, and its GPT identity ({@code typeGuid}, {@code uuid} and {@code name}; lower-case GUID
 * strings).
 */
public record Partition(
    int number, long offset, long size, String typeGuid, String uuid, String name) {
  /** The GPT type of an EFI system partition. */
  public static final String ESP_TYPE = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b";

  public boolean isEsp() {
    return ESP_TYPE.equals(typeGuid);
  }
}
