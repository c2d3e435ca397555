package io.imagecustomizer.storage;

import io.imagecustomizer.config.MountIdType;
import io.imagecustomizer.config.Storage;
import io.imagecustomizer.config.Verity;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.AttachedPartition;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.image.mount.FstabEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The verity devices an input image has already, found as upstream finds them: its fstab mounts
 * {@code /dev/mapper/root} or {@code /dev/mapper/usr}, and the kernel command line of its grub.cfg
 * names their data and hash partitions and their options. Customizing such an image leaves their
 * hash trees stale, so it is done only with {@code storage.reinitializeVerity: all}, which rebuilds
 * them once the OS is customized; otherwise the input is refused before any work.
 */
public final class InputVerity {
  private static final List<String> NAMES = List.of("root", "usr");

  private InputVerity() {}

  /**
   * The input's verity devices; empty when it has no hash tree.
   *
   * @param kernelArgs the arguments of the first kernel line of the image's grub.cfg, read only
   *     when the image has a hash tree
   * @throws ImageCustomizerException when it has one and {@code storage.reinitializeVerity} is not
   *     {@code all}, when the kernel command line does not account for every hash tree, or when
   *     {@code storage.verity} names one of them again
   */
  public static List<VerityDevice> check(
      OsImage image, Storage storage, Supplier<List<String>> kernelArgs) {
    List<AttachedPartition> trees =
        image.partitions().stream().filter(p -> p.fsType().equals("DM_verity_hash")).toList();
    if (trees.isEmpty()) {
      return List.of();
    }
    List<String> numbers = trees.stream().map(p -> "partition " + p.partition().number()).toList();
    if (storage.reinitializeVerity() == Storage.ReinitializeVerity.NONE) {
      throw new ImageCustomizerException(
          "storage.reinitializeVerity: not supported yet: none on an image with dm-verity hash"
              + " trees ("
              + String.join(", ", numbers)
              + "): customizing around its read-only verity filesystems",
          "set it to all, which rebuilds their trees after the customization");
    }
    if (storage.reinitializeVerity() != Storage.ReinitializeVerity.ALL) {
      throw new ImageCustomizerException(
          "the image has dm-verity hash trees ("
              + String.join(", ", numbers)
              + "); customizing it would leave them stale",
          "set storage.reinitializeVerity: all (with previewFeatures: [reinitialize-verity]) to"
              + " rebuild them after the customization");
    }
    List<FstabEntry> fstab = FstabEntry.parse(image.root().readString("/etc/fstab"));
    List<VerityDevice> devices = find(fstab, kernelArgs.get(), image.partitions());
    for (AttachedPartition tree : trees) {
      if (devices.stream().noneMatch(d -> d.hash() == tree.partition().number())) {
        throw new ImageCustomizerException(
            "storage.reinitializeVerity: partition "
                + tree.partition().number()
                + " holds a verity hash tree, but no verity device of the image's kernel command"
                + " line uses it",
            "only the root and usr verity devices fstab mounts from /dev/mapper are rebuilt");
      }
    }
    for (int i = 0; i < storage.verity().size(); i++) {
      String name = storage.verity().get(i).name();
      if (devices.stream().anyMatch(d -> d.name().equals(name))) {
        throw new ImageCustomizerException(
            "storage.verity[" + i + "]: the image has a verity device " + name + " already",
            "storage.reinitializeVerity: all rebuilds it; remove this entry");
      }
    }
    return devices;
  }

  /**
   * The verity devices that {@code fstab} mounts from /dev/mapper, with their partitions and
   * options from the kernel command line {@code args}.
   */
  static List<VerityDevice> find(
      List<FstabEntry> fstab, List<String> args, List<AttachedPartition> partitions) {
    Map<String, String> values = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq > 0) {
        values.put(arg.substring(0, eq), arg.substring(eq + 1));
      }
    }
    List<VerityDevice> devices = new ArrayList<>();
    for (String name : NAMES) {
      if (fstab.stream().noneMatch(e -> e.source().equals("/dev/mapper/" + name))) {
        continue;
      }
      String prefix = "systemd.verity_" + name;
      String data = value(values, name, prefix + "_data");
      String hash = value(values, name, prefix + "_hash");
      value(values, name, name + "hash");
      devices.add(
          new VerityDevice(
              name,
              partition(partitions, name, prefix + "_data", data),
              partition(partitions, name, prefix + "_hash", hash),
              idType(name, prefix + "_data", data),
              idType(name, prefix + "_hash", hash),
              corruption(name, values.get(prefix + "_options"))));
    }
    return devices;
  }

  private static String value(Map<String, String> values, String name, String key) {
    String value = values.get(key);
    if (value == null || value.isEmpty()) {
      throw new ImageCustomizerException(
          "storage.reinitializeVerity: the image mounts /dev/mapper/"
              + name
              + ", but its kernel command line (grub.cfg) has no "
              + key,
          "only verity devices opened by systemd-veritysetup from the kernel command line, as"
              + " this tool and upstream write them, can be rebuilt");
    }
    return value;
  }

  private static int partition(
      List<AttachedPartition> partitions, String name, String key, String source) {
    int eq = source.indexOf('=');
    List<AttachedPartition> found =
        eq < 0
            ? List.of()
            : partitions.stream()
                .filter(p -> p.matches(source.substring(0, eq), source.substring(eq + 1)))
                .toList();
    if (found.size() != 1) {
      throw new ImageCustomizerException(
          "storage.reinitializeVerity: "
              + (found.isEmpty() ? "no" : Integer.toString(found.size()))
              + " partitions of the image match "
              + key
              + "="
              + source
              + " of verity device "
              + name,
          "the kernel command line must name one partition by PARTUUID=, PARTLABEL= or UUID=");
    }
    return found.get(0).partition().number();
  }

  private static MountIdType idType(String name, String key, String source) {
    String kind = source.substring(0, source.indexOf('='));
    return switch (kind) {
      case "UUID" -> MountIdType.UUID;
      case "PARTUUID" -> MountIdType.PART_UUID;
      case "PARTLABEL" -> MountIdType.PART_LABEL;
      default ->
          throw new ImageCustomizerException(
              "storage.reinitializeVerity: "
                  + key
                  + " of verity device "
                  + name
                  + " names its partition by "
                  + kind
                  + "=, which is not written back",
              "name it by PARTUUID=, PARTLABEL= or UUID=");
    };
  }

  /** The reaction systemd-veritysetup's options ask for; any other option is not carried over. */
  static Verity.@Nullable CorruptionOption corruption(String name, @Nullable String options) {
    Verity.CorruptionOption corruption = null;
    if (options == null || options.isEmpty()) {
      return null;
    }
    for (String option : options.split(",")) {
      corruption =
          switch (option) {
            case "panic-on-corruption" -> Verity.CorruptionOption.PANIC;
            case "restart-on-corruption" -> Verity.CorruptionOption.RESTART;
            case "ignore-corruption" -> Verity.CorruptionOption.IGNORE;
            default ->
                throw new ImageCustomizerException(
                    "storage.reinitializeVerity: verity device "
                        + name
                        + " has the option "
                        + option
                        + ", which this version does not write back",
                    "the options it keeps are panic-on-corruption, restart-on-corruption and"
                        + " ignore-corruption");
          };
    }
    return corruption;
  }
}
