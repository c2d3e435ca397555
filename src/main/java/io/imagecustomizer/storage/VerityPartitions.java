package io.imagecustomizer.storage;

import io.imagecustomizer.config.Storage;
import io.imagecustomizer.config.Verity;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.AttachedPartition;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.image.mount.FstabEntry;
import io.imagecustomizer.image.partition.Partition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The partitions of each {@code storage.verity} device: new ones by their id in {@code
 * storage.disks}, existing ones by their GPT label; and upstream's checks of existing ones against
 * the image, made before any work.
 */
public final class VerityPartitions {
  private VerityPartitions() {}

  /** A verity device's data and hash partitions, by partition number. */
  public record Numbers(Verity verity, int data, int hash) {
    public VerityDevice device() {
      return new VerityDevice(
          verity.name(),
          data,
          hash,
          verity.dataDeviceMountIdType(),
          verity.hashDeviceMountIdType(),
          verity.corruptionOption());
    }
  }

  /** Each verity device's partitions in the disk whose partition table is {@code gpt}. */
  public static List<Numbers> of(Storage storage, List<Partition> gpt) {
    List<Numbers> numbers = new ArrayList<>();
    for (int i = 0; i < storage.verity().size(); i++) {
      Verity verity = storage.verity().get(i);
      String at = "storage.verity[" + i + "]";
      numbers.add(
          new Numbers(
              verity,
              number(storage, gpt, verity.dataDeviceId(), verity.dataDevice(), at + ".dataDevice"),
              number(
                  storage, gpt, verity.hashDeviceId(), verity.hashDevice(), at + ".hashDevice")));
    }
    return numbers;
  }

  /**
   * Every verity device whose tree this run writes: those the input has already ({@code
   * storage.reinitializeVerity}, found before any work) first, as upstream lists them, then those
   * {@code storage.verity} adds.
   */
  public static List<VerityDevice> devices(
      Storage storage, List<Partition> gpt, List<VerityDevice> input) {
    List<VerityDevice> devices = new ArrayList<>(input);
    of(storage, gpt).forEach(n -> devices.add(n.device()));
    return devices;
  }

  /**
   * The data partition under each verity device's /dev/mapper path, as the OS's fstab names it once
   * the verity step has run; until its tree is made it is mounted as the plain filesystem it is.
   */
  public static Map<String, Integer> mapped(List<VerityDevice> devices) {
    Map<String, Integer> mapped = new HashMap<>();
    devices.forEach(d -> mapped.put(d.mapperPath(), d.data()));
    return mapped;
  }

  private static int number(
      Storage storage,
      List<Partition> gpt,
      @Nullable String id,
      Verity.@Nullable IdentifiedPartition existing,
      String at) {
    if (id != null) {
      return storage
          .newPartitionNumber(id)
          .orElseThrow(() -> new ImageCustomizerException("internal error: no partition " + id));
    }
    if (existing == null) {
      throw new ImageCustomizerException("internal error: " + at + " is not set");
    }
    List<Partition> labelled = gpt.stream().filter(p -> p.name().equals(existing.id())).toList();
    if (labelled.size() != 1) {
      throw new ImageCustomizerException(
          at
              + ": "
              + (labelled.isEmpty() ? "no" : Integer.toString(labelled.size()))
              + " partitions of the image have the label \""
              + existing.id()
              + "\"",
          "it names one existing partition by its GPT label; see them with sfdisk --dump");
    }
    return labelled.get(0).number();
  }

  /**
   * Upstream's checks of verity devices on existing partitions, on the opened input: the data
   * partition is mounted by fstab at / (name root) or /usr (name usr) with option ro; the hash
   * partition is neither mounted nor formatted; a verity root has /boot on another partition.
   */
  public static void checkExisting(OsImage image, Storage storage) {
    List<FstabEntry> fstab = FstabEntry.parse(image.root().readString("/etc/fstab"));
    List<Partition> gpt = image.partitions().stream().map(AttachedPartition::partition).toList();
    for (Numbers numbers : of(storage, gpt)) {
      Verity verity = numbers.verity();
      if (verity.dataDevice() == null) {
        continue;
      }
      String at = "storage.verity[" + storage.verity().indexOf(verity) + "]";
      if (numbers.data() == numbers.hash()) {
        throw new ImageCustomizerException(
            at + ": dataDevice and hashDevice name the same partition",
            "the hash tree goes on a partition of its own");
      }
      AttachedPartition data = attached(image, numbers.data());
      AttachedPartition hash = attached(image, numbers.hash());
      String expected = verity.name().equals("root") ? "/" : "/usr";
      Optional<FstabEntry> entry =
          fstab.stream()
              .filter(e -> image.mountedAt(e.target()).filter(data::equals).isPresent())
              .findFirst();
      if (entry.isEmpty() || !entry.get().target().equals(expected)) {
        throw new ImageCustomizerException(
            at
                + ".dataDevice: partition \""
                + verity.dataDevice().id()
                + "\" must be mounted at "
                + expected
                + " by the image's /etc/fstab for verity device "
                + verity.name()
                + (entry.isEmpty() ? ", and is not in it" : ", not at " + entry.get().target()),
            "verity protects the filesystem the OS mounts at / (name root) or /usr (name usr)");
      }
      if (data.fsType().equals("btrfs")) {
        throw new ImageCustomizerException(
            at + ".dataDevice: not supported yet: btrfs on a verity device",
            "remove storage.verity; nothing was changed");
      }
      if (!entry.get().options().contains("ro")) {
        throw new ImageCustomizerException(
            at
                + ".dataDevice: the image's /etc/fstab mounts "
                + expected
                + " without the option ro",
            "a verity device is read-only; make the image's fstab mount it with ro first");
      }
      boolean hashMounted =
          fstab.stream()
              .anyMatch(e -> image.mountedAt(e.target()).filter(hash::equals).isPresent());
      if (hashMounted || !hash.fsType().isEmpty()) {
        throw new ImageCustomizerException(
            at
                + ".hashDevice: partition \""
                + verity.hashDevice().id()
                + "\" "
                + (hash.fsType().equals("DM_verity_hash")
                    ? "already holds a verity hash tree"
                    : hashMounted
                        ? "is mounted by the image's /etc/fstab"
                        : "holds a " + hash.fsType() + " filesystem"),
            hash.fsType().equals("DM_verity_hash")
                ? "it is a verity device of the image already: storage.reinitializeVerity: all"
                    + " rebuilds its tree"
                : "the hash partition must be an empty partition the OS does not mount");
      }
      if (verity.name().equals("root")
          && image.mountedAt("/boot").filter(b -> !b.equals(data)).isEmpty()) {
        throw new ImageCustomizerException(
            at + ": a verity root needs /boot on a partition of its own, and the image has none",
            "the root hash is written to grub.cfg on /boot after the root's hash tree is made");
      }
    }
  }

  private static AttachedPartition attached(OsImage image, int number) {
    return image.partitions().stream()
        .filter(p -> p.partition().number() == number)
        .findFirst()
        .orElseThrow(() -> new ImageCustomizerException("internal error: no partition " + number));
  }
}
