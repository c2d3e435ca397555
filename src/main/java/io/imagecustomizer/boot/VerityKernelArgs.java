package io.imagecustomizer.boot;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel arguments with which systemd's veritysetup generator in the initramfs opens verity
 * devices (as upstream writes them): the root hash, the data and hash partitions as fstab-style
 * sources ({@code PARTUUID=...}), and the options (the corruption reaction). A verity root is also
 * the kernel's root device.
 */
public final class VerityKernelArgs {
  /** Every argument these edits own, removed before they are written again (idempotent). */
  static final List<String> KEYS =
      List.of(
          "rd.systemd.verity",
          "roothash",
          "systemd.verity_root_data",
          "systemd.verity_root_hash",
          "systemd.verity_root_options",
          "usrhash",
          "systemd.verity_usr_data",
          "systemd.verity_usr_hash",
          "systemd.verity_usr_options");

  private VerityKernelArgs() {}

  /**
   * One verity device as the kernel is told of it.
   *
   * @param name {@code root} or {@code usr}: the device-mapper name and the arguments' prefix
   * @param dataSource the data partition, {@code PARTUUID=...}, {@code PARTLABEL=...} or {@code
   *     UUID=...}
   * @param options systemd-veritysetup options ({@code panic-on-corruption}); empty for none
   */
  public record Device(
      String name, String rootHash, String dataSource, String hashSource, List<String> options) {
    public Device {
      options = List.copyOf(options);
    }
  }

  /** The arguments for {@code devices}, in upstream's order. */
  public static List<String> of(List<Device> devices) {
    List<String> args = new ArrayList<>(List.of("rd.systemd.verity=1"));
    for (Device device : devices) {
      String prefix = "systemd.verity_" + device.name();
      args.add((device.name().equals("root") ? "roothash=" : "usrhash=") + device.rootHash());
      args.add(prefix + "_data=" + device.dataSource());
      args.add(prefix + "_hash=" + device.hashSource());
      if (!device.options().isEmpty()) {
        args.add(prefix + "_options=" + String.join(",", device.options()));
      }
    }
    return args;
  }

  /**
   * {@code grub} with every kernel line carrying the arguments of {@code devices} in place of any
   * earlier verity arguments, and {@code root=/dev/mapper/root} when one is the root.
   */
  public static GrubConfig apply(GrubConfig grub, List<Device> devices) {
    GrubConfig edited = grub;
    for (String key : KEYS) {
      edited = edited.removeArg(key);
    }
    if (devices.stream().anyMatch(d -> d.name().equals("root"))) {
      edited = edited.setArg("root", "/dev/mapper/root");
    }
    return edited.appendArgs(of(devices));
  }

  /**
   * A plain command line (a UKI addon's) with the same edits as {@link #apply(GrubConfig, List)}:
   * it is edited as the kernel line of a one-line grub config, so both always agree.
   */
  public static String apply(String commandLine, List<Device> devices) {
    GrubConfig line = apply(GrubConfig.parse("linux uki " + commandLine), devices);
    return String.join(" ", line.kernelArgs().get(0));
  }
}
