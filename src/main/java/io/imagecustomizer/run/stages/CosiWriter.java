package io.imagecustomizer.run.stages;

import io.imagecustomizer.chroot.Chroot;
import io.imagecustomizer.config.OutputFormat;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.cosi.CosiFile;
import io.imagecustomizer.format.cosi.CosiMetadata;
import io.imagecustomizer.format.cosi.Zstd;
import io.imagecustomizer.image.AttachedPartition;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.image.format.QemuImg;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.image.partition.Partition;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.resource.CleanupStack;
import io.imagecustomizer.resource.TempDir;
import io.imagecustomizer.run.Workspace;
import io.imagecustomizer.storage.ExtShrink;
import io.imagecustomizer.storage.PartitionTypes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a raw disk image as a COSI file (or a bare-metal image: the same tar with a fixed VHD
 * footer), as upstream does: the image's OS described from its files and package database, its ext
 * filesystems shrunk to their minimum, each mounted filesystem compressed with zstd into the tar.
 * The raw image is changed (shrunk), so it must be a working copy in the build folder.
 */
public final class CosiWriter {
  private static final Logger LOG = LoggerFactory.getLogger(CosiWriter.class);
  private static final String GENERIC_LINUX = PartitionTypes.guid("linux-generic");
  private static final long MIB = 1024 * 1024;

  /**
   * zstd's {@code --long} window as upstream sets it: 128 MiB for cosi, 2 GiB for bare-metal
   * images, whose readers decompress with the larger window.
   */
  static int windowLog(OutputFormat format) {
    return format == OutputFormat.BAREMETAL_IMAGE ? 31 : 27;
  }

  private final ProcessRunner runner;
  private final Workspace workspace;

  public CosiWriter(ProcessRunner runner, Workspace workspace) {
    this.runner = runner;
    this.workspace = workspace;
  }

  /** What the image says about itself, read before its filesystems are shrunk. */
  private record OsInfo(
      String osRelease,
      List<CosiMetadata.OsPackage> packages,
      String bootloader,
      String id,
      Map<Integer, String> mountPoints,
      Map<Integer, AttachedPartition> partitions) {}

  /**
   * Writes {@code raw} to {@code output} (a {@code .partial} name: the caller publishes it).
   *
   * @param external the image was not made by this run (convert): an ext filesystem is shrunk only
   *     if it fills its partition, since a gap may have been left on purpose
   */
  public void write(Path raw, Path output, OutputFormat format, int level, boolean external) {
    try (CleanupStack scope = new CleanupStack()) {
      OsInfo os = readOs(raw);
      Path work =
          scope.push("COSI images", TempDir.create(workspace.buildDir(), "cosi-images")).path();
      Map<String, Path> files = new LinkedHashMap<>();
      List<CosiMetadata.FileSystem> images = new ArrayList<>();
      for (Map.Entry<Integer, String> mount : os.mountPoints().entrySet()) {
        AttachedPartition attached = os.partitions().get(mount.getKey());
        Partition partition = attached.partition();
        long length = shrunk(raw, partition, attached.fsType(), external);
        String name = "part" + partition.number() + ".rawzst";
        Path compressed = work.resolve(name);
        LOG.info(
            "Compressing partition {} ({} at {}, {} MiB)",
            partition.number(),
            attached.fsType(),
            mount.getValue(),
            length / MIB);
        try (LoopDevice loop = LoopDevice.attach(runner, raw, partition.offset(), length, true)) {
          new Zstd(runner).compress(Path.of(loop.device()), compressed, level, windowLog(format));
        }
        CosiMetadata.ImageFile image = CosiFile.describe(compressed, name, length);
        files.put(image.path(), compressed);
        String type = partition.typeGuid();
        images.add(
            new CosiMetadata.FileSystem(
                image,
                mount.getValue(),
                attached.fsType(),
                attached.fsUuid(),
                type.isEmpty() || type.equals(new UUID(0, 0).toString()) ? GENERIC_LINUX : type));
      }
      CosiMetadata metadata =
          new CosiMetadata(
              CosiMetadata.VERSION,
              osArch(),
              os.osRelease(),
              images,
              new CosiMetadata.Bootloader(os.bootloader()),
              os.packages(),
              os.id());
      if (format == OutputFormat.BAREMETAL_IMAGE) {
        Path tar = work.resolve("image.cosi");
        CosiFile.write(tar, metadata, files);
        padToMib(tar);
        // The footer makes the file a fixed VHD whose disk is the tar itself.
        new QemuImg(runner).fromRaw(tar, OutputFormat.VHD_FIXED, output);
      } else {
        CosiFile.write(output, metadata, files);
      }
    }
  }

  /** The OS release, packages, boot loader and mount points, from the image opened read-only. */
  private OsInfo readOs(Path raw) {
    try (OsImage image = OsImage.open(runner, raw, workspace.imageMount(), true)) {
      ImageRoot root = image.root();
      String osRelease = read(root, "/etc/os-release");
      if (osRelease.isEmpty()) {
        osRelease = read(root, "/usr/lib/os-release");
      }
      if (osRelease.isEmpty()) {
        throw new ImageCustomizerException(
            "the image has no /etc/os-release or /usr/lib/os-release, which a COSI file carries",
            "COSI is written from an OS image: check that the input holds an installed OS");
      }
      List<CosiMetadata.OsPackage> packages;
      try (Chroot chroot = Chroot.enter(runner, root)) {
        packages = packages(chroot, root);
      }
      if (packages.stream().anyMatch(p -> p.name().equals("systemd-boot"))) {
        throw new ImageCustomizerException(
            "the image boots with systemd-boot, whose entries this version cannot describe in a"
                + " COSI file",
            "write a grub image, or another output format");
      }
      Map<Integer, String> mountPoints = new LinkedHashMap<>();
      Map<Integer, AttachedPartition> partitions = new HashMap<>();
      image.mounts().entrySet().stream()
          .filter(m -> !m.getValue().fsType().isEmpty())
          // Of several mounts of one partition (btrfs subvolumes) the shortest path names it.
          .sorted(
              Comparator.comparing((Map.Entry<String, AttachedPartition> m) -> m.getKey().length()))
          .forEach(
              m -> {
                int number = m.getValue().partition().number();
                mountPoints.putIfAbsent(number, m.getKey());
                partitions.putIfAbsent(number, m.getValue());
              });
      Map<Integer, String> ordered = new LinkedHashMap<>();
      mountPoints.keySet().stream().sorted().forEach(n -> ordered.put(n, mountPoints.get(n)));
      return new OsInfo(osRelease, packages, "grub", imageId(root), ordered, partitions);
    }
  }

  /**
   * The installed packages, by the image's own package database tool. dpkg has no separate release:
   * the whole Debian version (epoch, upstream version and revision) is the version and the release
   * is empty, as upstream writes Ubuntu's.
   */
  private static List<CosiMetadata.OsPackage> packages(Chroot chroot, ImageRoot root) {
    List<CosiMetadata.OsPackage> packages = new ArrayList<>();
    if (Files.exists(root.resolve("/var/lib/dpkg/status"))) {
      String out =
          chroot.run(
              "list the installed packages",
              "dpkg-query",
              "-W",
              "-f=${Package}\\t${Version}\\t${Architecture}\\n");
      for (String line : out.lines().filter(l -> !l.isBlank()).toList()) {
        String[] f = line.split("\t", -1);
        packages.add(new CosiMetadata.OsPackage(f[0], f[1], "", f[2]));
      }
    } else if (Files.exists(root.resolve("/usr/bin/rpm"))) {
      String out =
          chroot.run(
              "list the installed packages",
              "rpm",
              "-qa",
              "--queryformat",
              "%{NAME} %{VERSION} %{RELEASE} %{ARCH}\\n");
      for (String line : out.lines().filter(l -> !l.isBlank()).toList()) {
        String[] f = line.split(" ", -1);
        packages.add(new CosiMetadata.OsPackage(f[0], f[1], f[2], f[3]));
      }
    } else {
      throw new ImageCustomizerException(
          "the image has neither an rpm nor a dpkg package database, and a COSI file lists the"
              + " installed packages",
          "COSI is written from RPM (Azure Linux, Fedora) or Debian/Ubuntu images");
    }
    packages.sort(Comparator.comparing(CosiMetadata.OsPackage::name));
    return packages;
  }

  /** The image's IMAGE_UUID from its release file, so the COSI and the OS name one image. */
  private static String imageId(ImageRoot root) {
    for (String line : read(root, "/etc/image-customizer-release").lines().toList()) {
      if (line.startsWith("IMAGE_UUID=")) {
        return line.substring("IMAGE_UUID=".length()).replace("\"", "");
      }
    }
    return UUID.randomUUID().toString();
  }

  private static String read(ImageRoot root, String path) {
    Path file = root.resolve(path);
    try {
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + path + " in the image", e);
    }
  }

  /** Shrinks an ext filesystem as upstream does; returns the bytes of the partition to keep. */
  private long shrunk(Path raw, Partition partition, String fsType, boolean external) {
    if (!ExtShrink.shrinks(fsType)) {
      return partition.size();
    }
    ExtShrink ext = new ExtShrink(runner);
    try (LoopDevice loop =
        LoopDevice.attach(runner, raw, partition.offset(), partition.size(), false)) {
      if (external && ext.size(loop.device()) != partition.size()) {
        LOG.info(
            "Partition {}: the filesystem does not fill its partition; it is kept as it is",
            partition.number());
        return partition.size();
      }
      long size = ext.shrink(loop.device());
      LOG.info(
          "Partition {}: filesystem shrunk from {} to {} MiB",
          partition.number(),
          partition.size() / MIB,
          size / MIB);
      return size;
    }
  }

  /** The CPU the OS is for, as {@code uname -m} names it (the tool runs on it, as upstream). */
  private static String osArch() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }

  /** A VHD's disk is a whole number of MiB (upstream pads the same way). */
  private static void padToMib(Path file) {
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      long size = out.length();
      out.setLength((size + MIB - 1) / MIB * MIB);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot pad " + file, e);
    }
  }
}
