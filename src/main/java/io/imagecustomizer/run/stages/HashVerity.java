package io.imagecustomizer.run.stages;

import io.imagecustomizer.boot.GrubConfig;
import io.imagecustomizer.boot.MainGrubConfig;
import io.imagecustomizer.boot.Ukis;
import io.imagecustomizer.boot.VerityKernelArgs;
import io.imagecustomizer.config.MountIdType;
import io.imagecustomizer.config.Storage;
import io.imagecustomizer.config.Verity;
import io.imagecustomizer.config.VerityHashTree;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.image.mount.Mount;
import io.imagecustomizer.image.partition.GptReader;
import io.imagecustomizer.image.partition.Partition;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.resource.CleanupStack;
import io.imagecustomizer.resource.TempDir;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import io.imagecustomizer.storage.VerityDevice;
import io.imagecustomizer.storage.VerityPartitions;
import io.imagecustomizer.storage.VeritySetup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code storage.verity}, and the input's own verity devices under {@code
 * storage.reinitializeVerity: all}, once the OS is customized and its image closed: each verity
 * device's data filesystem is checked and its hash tree written to its hash partition, then the
 * root hashes go onto the kernel command line in grub.cfg (on a /boot partition of its own for a
 * verity root, the rules insist), where the initramfs (given its verity module by the OS step)
 * reads them.
 */
public final class HashVerity implements RunStage {
  private static final Logger LOG = LoggerFactory.getLogger(HashVerity.class);
  private static final Duration RELEASE_WAIT = Duration.ofMinutes(5);

  @Override
  public String name() {
    return "verity";
  }

  @Override
  public Set<String> applies() {
    return Set.of(
        "storage.verity[].id",
        "storage.verity[].name",
        "storage.verity[].dataDeviceId",
        "storage.verity[].hashDeviceId",
        "storage.verity[].dataDevice",
        "storage.verity[].hashDevice",
        "storage.verity[].dataDeviceMountIdType",
        "storage.verity[].hashDeviceMountIdType",
        "storage.verity[].corruptionOption",
        "storage.reinitializeVerity");
  }

  @Override
  public boolean isNeeded(RunContext run) {
    return !run.settings().config().storage().verity().isEmpty() || !run.inputVerity().isEmpty();
  }

  @Override
  public void run(RunContext run) {
    Storage storage = run.settings().config().storage();
    Path raw = run.workspace().rawImage();
    ProcessRunner runner = run.runner();
    List<Partition> partitions = GptReader.read(raw);
    List<VerityDevice> verity = VerityPartitions.devices(storage, partitions, run.inputVerity());
    Layout layout = layout(run, verity);
    awaitReleased(runner, raw);
    List<VerityKernelArgs.Device> devices = new ArrayList<>();
    try (CleanupStack open = new CleanupStack()) {
      for (VerityDevice device : verity) {
        Partition data = numbered(partitions, device.data());
        Partition hash = numbered(partitions, device.hash());
        // Inline verity: one partition, the filesystem first and the tree right behind it.
        boolean inline = device.data() == device.hash();
        long dataSize = inline ? VerityHashTree.inlineDataBytes(data.size()) : data.size();
        long hashOffset = inline ? hash.offset() + dataSize : hash.offset();
        long hashSize = inline ? hash.size() - dataSize : hash.size();
        String dataDevice =
            open.push(
                    "loop device for the data of verity " + device.name(),
                    LoopDevice.attach(runner, raw, data.offset(), dataSize, true))
                .device();
        String hashDevice =
            open.push(
                    "loop device for the hash tree of verity " + device.name(),
                    LoopDevice.attach(runner, raw, hashOffset, hashSize, false))
                .device();
        LOG.info("Writing the hash tree of verity device {}", device.name());
        VeritySetup.Formatted formatted =
            VeritySetup.format(
                runner,
                device.name(),
                dataDevice,
                dataSize,
                layout.fsTypes().getOrDefault(data.number(), ""),
                hashDevice,
                hashSize);
        LOG.info("Verity device {}: root hash {}", device.name(), formatted.rootHash());
        String dataSource = source(device.dataIdType(), data, () -> fsUuid(runner, dataDevice));
        List<String> options = new ArrayList<>(options(device.corruption()));
        if (inline) {
          options.add("hash-offset=" + dataSize);
        }
        devices.add(
            new VerityKernelArgs.Device(
                device.name(),
                formatted.rootHash(),
                dataSource,
                // the tree's superblock UUID is not what blkid finds on that partition
                inline ? dataSource : source(device.hashIdType(), hash, formatted::hashUuid),
                options));
      }
    }
    writeKernelArgs(run, layout, devices);
    writeUkiArgs(run, partitions, devices);
    // The grub.cfg edit too: grub reads it without replaying a journal.
    awaitReleased(runner, raw);
  }

  /**
   * What the OS's own fstab shows, read from the closed image: each partition's filesystem type,
   * and the filesystem grub.cfg lies on (the one mounted at /boot, else the root's, or the btrfs
   * subvolume mounted there).
   *
   * @param bootPath where the OS mounts that filesystem, {@code /boot} or {@code /}
   */
  record Layout(
      Map<Integer, String> fsTypes, Partition boot, @Nullable String subvolume, String bootPath) {}

  private static Layout layout(RunContext run, List<VerityDevice> verity) {
    Map<String, Integer> mapped = VerityPartitions.mapped(verity);
    try (OsImage image =
        OsImage.open(
            run.runner(), run.workspace().rawImage(), run.workspace().imageMount(), true, mapped)) {
      Map<Integer, String> types = new HashMap<>();
      image.partitions().forEach(p -> types.put(p.partition().number(), p.fsType()));
      String bootPath = image.mountedAt("/boot").isPresent() ? "/boot" : "/";
      Partition boot = image.mountedAt(bootPath).orElseThrow().partition();
      if (mapped.containsValue(boot.number())) {
        // The rules and the input checks keep /boot off a verity device; this is our bug.
        throw new ImageCustomizerException(
            "internal error: grub.cfg lies on verity data partition " + boot.number());
      }
      return new Layout(types, boot, image.subvolumeAt(bootPath).orElse(null), bootPath);
    }
  }

  private static Partition numbered(List<Partition> partitions, int number) {
    return partitions.stream()
        .filter(p -> p.number() == number)
        .findFirst()
        .orElseThrow(
            () ->
                new ImageCustomizerException(
                    "internal error: the working copy has no partition " + number));
  }

  /**
   * Waits until no loop device backs the working copy any more. A program elsewhere on this host
   * that entered a new mount namespace while the OS was mounted holds a copy of that mount until it
   * ends, and with it the filesystem and its journal: a tree made before then would not match what
   * the kernel writes when it lets go (seen here: a root whose journal still needed recovery), and
   * the output would be copied before the last writes reach the file.
   */
  private static void awaitReleased(ProcessRunner runner, Path raw) {
    Path file;
    try {
      file = raw.toRealPath();
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot resolve " + raw, e);
    }
    long deadline = System.nanoTime() + RELEASE_WAIT.toNanos();
    List<String> held = LoopDevice.over(runner, file);
    if (!held.isEmpty()) {
      LOG.info("Waiting for {} over the working copy to be released", held);
    }
    while (!held.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new ImageCustomizerException(
            "the working copy's filesystems are still held through "
                + String.join(", ", held)
                + " by a program that entered its own mount namespace while they were mounted",
            "find it with: grep -l "
                + raw.getParent()
                + " /proc/*/mountinfo; let it finish, then run again");
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImageCustomizerException("interrupted while waiting for " + held);
      }
      held = LoopDevice.over(runner, file);
    }
  }

  /**
   * How the kernel command line names a verity device's partition: by partition UUID unless told.
   */
  static String source(@Nullable MountIdType type, Partition partition, Supplier<String> uuid) {
    if (type == null) {
      return "PARTUUID=" + partition.uuid();
    }
    return switch (type) {
      case UUID -> "UUID=" + uuid.get();
      case PART_UUID -> "PARTUUID=" + partition.uuid();
      case PART_LABEL -> "PARTLABEL=" + partition.name();
    };
  }

  /** systemd-veritysetup's option for the corruption reaction; io-error is its default. */
  static List<String> options(Verity.@Nullable CorruptionOption option) {
    if (option == null) {
      return List.of();
    }
    return switch (option) {
      case IO_ERROR -> List.of();
      case IGNORE -> List.of("ignore-corruption");
      case PANIC -> List.of("panic-on-corruption");
      case RESTART -> List.of("restart-on-corruption");
    };
  }

  private static String fsUuid(ProcessRunner runner, String device) {
    return runner
        .run(Command.of("blkid", "--probe", "--match-tag", "UUID", "--output", "value", device))
        .stdout()
        .strip();
  }

  /**
   * The root hashes into every kernel line of grub.cfg, its filesystem mounted alone where the
   * working copy was mounted during the OS customization.
   */
  /**
   * On an image booted through UKIs ({@code os.uki}) the kernel takes its command line from their
   * addons, not from grub.cfg: each addon gets the verity arguments too.
   */
  private static void writeUkiArgs(
      RunContext run, List<Partition> partitions, List<VerityKernelArgs.Device> devices) {
    Optional<Partition> esp = partitions.stream().filter(Partition::isEsp).findFirst();
    if (esp.isEmpty()) {
      return;
    }
    FatImage fat = FatImage.at(run.runner(), run.workspace().rawImage(), esp.get().offset());
    List<String> files = fat.list();
    if (Ukis.on(files).isEmpty()) {
      return;
    }
    try (TempDir work = TempDir.create(run.workspace().buildDir(), "uki")) {
      Ukis.editAddons(
          fat,
          files,
          Optional.empty(), // the OS with its addon stub is closed: each addon is edited in place
          "the verity arguments",
          line -> VerityKernelArgs.apply(line, devices),
          work.path());
    }
  }

  private static void writeKernelArgs(
      RunContext run, Layout layout, List<VerityKernelArgs.Device> devices) {
    Partition partition = layout.boot();
    Path raw = run.workspace().rawImage();
    Path mountDir = run.workspace().imageMount();
    try (CleanupStack open = new CleanupStack()) {
      LoopDevice loop =
          open.push(
              "loop device for " + layout.bootPath(),
              LoopDevice.attach(run.runner(), raw, partition.offset(), partition.size(), false));
      open.push(
          "mount of " + layout.bootPath(),
          Mount.mount(
              run.runner(),
              loop.device(),
              mountDir,
              null,
              layout.subvolume() == null ? List.of() : List.of("subvol=/" + layout.subvolume())));
      ImageRoot files = new ImageRoot(mountDir);
      // The grub.cfg locations are paths in the OS; on a /boot filesystem they lose /boot.
      String prefix = layout.bootPath().equals("/") ? "" : layout.bootPath();
      String path =
          MainGrubConfig.LOCATIONS.stream()
              .map(l -> l.substring(prefix.length()))
              .filter(files::exists)
              .findFirst()
              .orElseThrow(
                  () ->
                      new ImageCustomizerException(
                          "cannot add the verity root hash to the kernel command line: the image"
                              + " has no "
                              + String.join(" or ", MainGrubConfig.LOCATIONS),
                          "the image must boot with GRUB"));
      GrubConfig grub = GrubConfig.parse(files.readString(path));
      if (!grub.hasLinuxCommand()) {
        throw new ImageCustomizerException(
            "cannot add the verity root hash to the kernel command line: "
                + prefix
                + path
                + " has no 'linux' command",
            "the image's boot loader reset must write its boot entries there");
      }
      LOG.info("Adding the verity arguments to {}{}", prefix, path);
      files.write(
          path,
          VerityKernelArgs.apply(grub, devices).text().getBytes(StandardCharsets.UTF_8),
          null);
    }
  }
}
