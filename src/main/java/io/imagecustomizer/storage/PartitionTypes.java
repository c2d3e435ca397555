package io.imagecustomizer.storage;

import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * GPT type GUIDs of the partition type names of {@code storage.disks[].partitions[].type}, as the
 * Discoverable Partitions Specification gives them; root and usr differ by CPU, and the image is
 * taken to be for the CPU the tool runs on, as upstream does.
 */
public final class PartitionTypes {
  private static final Map<String, String> COMMON =
      Map.of(
          "esp", "c12a7328-f81f-11d2-ba4b-00a0c93ec93b",
          "bios-grub", "21686148-6449-6e6f-744e-656564454649",
          "home", "933ac7e1-2eb4-4f13-b844-0e14e2aef915",
          "linux-generic", "0fc63daf-8483-4772-8e79-3d69d8477de4",
          "srv", "3b8f8425-20e0-4f3b-907f-1a25a76f98e8",
          "swap", "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f",
          "tmp", "7ec6f557-3bc5-4aca-b293-16ef5df639d1",
          "var", "4d21b016-b534-45c2-a9fb-5c16e091fd2d",
          "xbootldr", "bc13c2ff-59e6-4262-a352-b275fd6f7172");
  private static final Map<String, String> AMD64 =
      Map.of(
          "root", "4f68bce3-e8cd-4db1-96e7-fbcaf984b709",
          "root-verity", "2c7357ed-ebd2-46d9-aec1-23d437ec2bf5",
          "usr", "8484680c-9521-48c6-9c11-b0720656f69e",
          "usr-verity", "77ff5f63-e7b6-4633-acf4-1565b864c0e6");
  private static final Map<String, String> ARM64 =
      Map.of(
          "root", "b921b045-1df0-41c3-af44-4c6f280d3fae",
          "root-verity", "df3300ce-d69f-4c92-978c-9bfb0f38d820",
          "usr", "b0e01050-ee5f-4390-949a-9101b17104e9",
          "usr-verity", "6e11a4e7-fbca-4ded-b9e9-e1a512bb664e");

  private PartitionTypes() {}

  /** The GUID of a type name or GUID (lower case); no type is linux-generic. */
  public static String guid(@Nullable String type, String arch) {
    if (type == null) {
      return COMMON.get("linux-generic");
    }
    String name = type.toLowerCase(Locale.ROOT);
    String guid = COMMON.get(name);
    if (guid == null) {
      guid = ("aarch64".equals(arch) || "arm64".equals(arch) ? ARM64 : AMD64).get(name);
    }
    // The validator has checked that anything else is a GUID.
    return guid != null ? guid : name;
  }

  /** The GUID for the CPU this tool runs on. */
  public static String guid(@Nullable String type) {
    return guid(type, System.getProperty("os.arch"));
  }
}
