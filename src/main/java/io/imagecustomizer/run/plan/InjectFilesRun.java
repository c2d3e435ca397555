package io.imagecustomizer.run.plan;

import io.imagecustomizer.config.ConfigLoader;
import io.imagecustomizer.config.InjectFilesConfig;
import io.imagecustomizer.config.InjectFilesConfig.InjectFile;
import io.imagecustomizer.config.InjectFilesConfig.PartitionId;
import io.imagecustomizer.config.OutputFormat;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.image.format.DiskFormat;
import io.imagecustomizer.image.format.ImageProbe;
import io.imagecustomizer.image.format.QemuImg;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.image.mount.Mount;
import io.imagecustomizer.image.partition.GptReader;
import io.imagecustomizer.image.partition.Partition;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.resource.CleanupStack;
import io.imagecustomizer.run.Publish;
import io.imagecustomizer.run.Workspace;
import io.imagecustomizer.run.stages.CosiWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code inject-files} run: the files of an inject-files config (signed boot binaries, most
 * often) written into their partitions of a raw copy of the image, without opening the OS or a
 * chroot, then the copy written in the output format: by default over the input, in the input's
 * format, replacing it only once complete.
 */
public final class InjectFilesRun {
  private static final Logger LOG = LoggerFactory.getLogger(InjectFilesRun.class);

  private final ProcessRunner runner;

  public InjectFilesRun(ProcessRunner runner) {
    this.runner = runner;
  }

  /**
   * What to do: {@code output} and {@code format} null for the input's path and format; {@code
   * cosiLevel} null for the format's default.
   */
  public record Request(
      Path config,
      Path image,
      Path buildDir,
      @Nullable Path output,
      @Nullable OutputFormat format,
      @Nullable Integer cosiLevel) {}

  public void run(Request request) {
    long start = System.nanoTime();
    Path configFile = request.config().toAbsolutePath().normalize();
    InjectFilesConfig config = ConfigLoader.loadInjectFiles(configFile);
    List<Path> sources = sources(config, configFile.getParent());
    if (!Files.isRegularFile(request.image())) {
      throw new ImageCustomizerException(
          "the input image " + request.image() + " does not exist or is not a file",
          "check the --image-file path");
    }
    ImageProbe.Source source = new ImageProbe(runner).probe(request.image());
    if (source.format() == DiskFormat.ISO) {
      throw new ImageCustomizerException(
          "the input image " + request.image() + " is an ISO 9660 volume",
          "inject-files writes into the partitions of a disk image (raw, qcow2, vhd, vhdx)");
    }
    OutputFormat format = request.format() != null ? request.format() : sameAs(source.format());
    if (format.isLiveOs()) {
      throw new ImageCustomizerException(
          "inject-files writes a disk image or a COSI, not " + format,
          "make the Live OS from the injected disk image with customize");
    }
    Path output = request.output() != null ? request.output() : request.image();
    Workspace workspace = new Workspace(request.buildDir());
    try (CleanupStack resources = new CleanupStack()) {
      Path raw = RawWorkingCopy.create(runner, workspace, source, resources);
      inject(raw, config.injectFiles(), sources, workspace);
      if (format.isCosi()) {
        int level = request.cosiLevel() != null ? request.cosiLevel() : format.defaultCosiLevel();
        Publish.file(
            output,
            partial -> new CosiWriter(runner, workspace).write(raw, partial, format, level, true));
      } else {
        Publish.file(output, partial -> new QemuImg(runner).fromRaw(raw, format, partial));
      }
    }
    LOG.info(
        "{} files injected, {} written in {} s",
        sources.size(),
        output,
        String.format("%.1f", (System.nanoTime() - start) / 1e9));
    LOG.info("Success!");
  }

  /**
   * The output format that keeps the input's, as upstream: a VHD of either kind is written dynamic.
   */
  private static OutputFormat sameAs(DiskFormat format) {
    return switch (format) {
      case RAW -> OutputFormat.RAW;
      case QCOW2 -> OutputFormat.QCOW2;
      case VHD -> OutputFormat.VHD;
      case VHDX -> OutputFormat.VHDX;
      case ISO -> throw new IllegalStateException("ISO inputs are refused before");
    };
  }

  /** Each entry's source, relative to the config's folder; all must exist before any work. */
  private static List<Path> sources(InjectFilesConfig config, Path base) {
    List<Path> sources = new ArrayList<>();
    for (int i = 0; i < config.injectFiles().size(); i++) {
      Path file = base.resolve(config.injectFiles().get(i).source()).normalize();
      if (!Files.isRegularFile(file)) {
        throw new ImageCustomizerException(
            "injectFiles[" + i + "].source: " + file + " does not exist or is not a file",
            "put the (signed) file there, or correct the path in the inject-files config");
      }
      sources.add(file);
    }
    return sources;
  }

  private void inject(Path raw, List<InjectFile> entries, List<Path> sources, Workspace workspace) {
    List<Partition> partitions = GptReader.read(raw);
    Map<PartitionId, List<Integer>> byPartition = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      byPartition.computeIfAbsent(key(entries.get(i).partition()), k -> new ArrayList<>()).add(i);
    }
    for (Map.Entry<PartitionId, List<Integer>> group : byPartition.entrySet()) {
      Found found = find(raw, partitions, group.getKey(), group.getValue().get(0));
      Partition partition = found.partition();
      Map<String, Path> files = new LinkedHashMap<>();
      for (int i : group.getValue()) {
        files.put(entries.get(i).destination(), sources.get(i));
      }
      if ("vfat".equals(found.fields().get("TYPE"))) {
        intoFat(FatImage.at(runner, raw, partition.offset()), files);
      } else {
        intoMounted(raw, partition, files, workspace);
      }
      LOG.info("Injected {} files into partition {}", files.size(), partition.number());
    }
  }

  /** Upstream keys partitions by idType and id as written; an empty idType is part-uuid. */
  private static PartitionId key(PartitionId id) {
    return new PartitionId(
        id.mountIdType().name().toLowerCase(Locale.ROOT).replace('_', '-'), id.id());
  }

  /** A partition of the image and its filesystem's blkid fields. */
  private record Found(Partition partition, Map<String, String> fields) {}

  /** The partition {@code id} names; only a filesystem UUID needs each filesystem probed. */
  private Found find(Path raw, List<Partition> partitions, PartitionId id, int entry) {
    for (Partition partition : partitions) {
      Map<String, String> fields = null;
      boolean match =
          switch (id.mountIdType()) {
            case PART_UUID -> partition.uuid().equalsIgnoreCase(id.id());
            case PART_LABEL -> partition.name().equals(id.id());
            case UUID -> {
              fields = probe(raw, partition);
              yield id.id().equalsIgnoreCase(fields.getOrDefault("UUID", ""));
            }
          };
      if (match) {
        return new Found(partition, fields != null ? fields : probe(raw, partition));
      }
    }
    throw new ImageCustomizerException(
        "injectFiles["
            + entry
            + "].partition: the image has no partition with "
            + id.idType()
            + " "
            + id.id(),
        "the config must come from this image's output.artifacts, or name one of its partitions");
  }

  /** The filesystem's {@code blkid} fields (TYPE, UUID, ...), read from the file at its offset. */
  private Map<String, String> probe(Path raw, Partition partition) {
    return OsImage.blkidFields(
        runner
            .runAllowingFailure(
                Command.of(
                    "blkid",
                    "--probe",
                    "--offset",
                    Long.toString(partition.offset()),
                    "--size",
                    Long.toString(partition.size()),
                    "--output",
                    "export",
                    raw.toString()))
            .stdout());
  }

  /** FAT, which this kernel may not mount: through mtools, making missing folders first. */
  private static void intoFat(FatImage fat, Map<String, Path> files) {
    Set<String> existing = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    // mdir lists folders with a trailing slash
    fat.list().forEach(path -> existing.add(path.replaceAll("/$", "")));
    for (Map.Entry<String, Path> file : files.entrySet()) {
      List<String> missing = new ArrayList<>();
      String destination = file.getKey();
      for (int slash = destination.indexOf('/', 1);
          slash > 0;
          slash = destination.indexOf('/', slash + 1)) {
        String folder = destination.substring(0, slash);
        if (existing.add(folder)) {
          missing.add(folder);
        }
      }
      if (!missing.isEmpty()) {
        fat.mkdirs(missing.toArray(String[]::new));
      }
      fat.replace(file.getValue(), destination);
    }
  }

  /**
   * Any other filesystem, mounted from a loop device in the build folder. No path component may be
   * a symbolic link: one would lead the write out of the partition, onto the host.
   */
  private void intoMounted(
      Path raw, Partition partition, Map<String, Path> files, Workspace workspace) {
    Path target = workspace.buildDir().resolve("inject-partition");
    try (CleanupStack open = new CleanupStack()) {
      Files.createDirectories(target);
      open.push("folder " + target, () -> Files.deleteIfExists(target));
      LoopDevice loop =
          open.push(
              "loop device of partition " + partition.number(),
              LoopDevice.attach(runner, raw, partition.offset(), partition.size(), false));
      open.push("mount " + target, Mount.mount(runner, loop.device(), target, null, List.of()));
      for (Map.Entry<String, Path> file : files.entrySet()) {
        Path destination = target;
        String[] parts = file.getKey().substring(1).split("/");
        for (int i = 0; i < parts.length; i++) {
          destination = destination.resolve(parts[i]);
          if (Files.isSymbolicLink(destination)) {
            throw new ImageCustomizerException(
                file.getKey()
                    + ": "
                    + String.join("/", List.of(parts).subList(0, i + 1))
                    + " is a symbolic link in partition "
                    + partition.number()
                    + "; inject-files writes only through real folders");
          }
          if (i < parts.length - 1 && !Files.isDirectory(destination, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(destination);
          }
        }
        Files.copy(file.getValue(), destination, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write into partition " + partition.number(), e);
    }
  }
}
