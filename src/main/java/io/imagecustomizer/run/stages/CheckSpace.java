package io.imagecustomizer.run.stages;

import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.format.DiskFormat;
import io.imagecustomizer.image.format.QemuImg;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, before the heavy work, that the build dir and the output's folder have room: a run is
 * refused when a folder has less than the least it will certainly write (the working copy of the
 * input's data, a disk output of that size), and warned about when it has less than the estimate
 * (for a Live OS also the OS tree and its squashfs). Both live on one filesystem count together.
 */
public final class CheckSpace implements RunStage {
  private static final Logger LOG = LoggerFactory.getLogger(CheckSpace.class);

  /** What one folder needs: at least {@code minimum} bytes, probably {@code estimate}. */
  record Need(Path folder, long minimum, long estimate) {}

  /** What is said of one filesystem that has less room than the run needs. */
  record Verdict(boolean refused, String message) {}

  @Override
  public String name() {
    return "check space";
  }

  @Override
  public Set<String> applies() {
    return Set.of();
  }

  @Override
  public void run(RunContext run) {
    RunSettings settings = run.settings();
    List<Need> needs =
        needs(
            settings.buildDir(),
            settings.outputPath(),
            settings.inputIsIso(),
            settings.outputFormat().isLiveOs(),
            inputData(run));
    for (Verdict verdict : judge(needs, CheckSpace::freeBytes, CheckSpace::filesystem)) {
      if (verdict.refused()) {
        throw new ImageCustomizerException(
            verdict.message(), "free some space there, or choose a --build-dir with more room");
      }
      LOG.warn("{}", verdict.message());
    }
  }

  /**
   * The bytes of data the working copy will hold: what the input has allocated, at most its size.
   */
  private static long inputData(RunContext run) {
    Path input = run.settings().inputImage();
    DiskFormat format = DiskFormat.detect(input);
    if (format == DiskFormat.ISO) {
      return size(input);
    }
    QemuImg.Info info = new QemuImg(run.runner()).info(input, format);
    long actual = info.actualSize() < 0 ? size(input) : info.actualSize();
    return info.virtualSize() < 0 ? actual : Math.min(actual, info.virtualSize());
  }

  static List<Need> needs(Path buildDir, Path output, boolean isoInput, boolean liveOs, long data) {
    Path outputFolder = output.toAbsolutePath().getParent();
    if (isoInput) {
      // The extracted media, maybe the unpacked OS (about twice the squashfs) and a new squashfs.
      return List.of(new Need(buildDir, data, 4 * data), new Need(outputFolder, 0, data));
    }
    if (liveOs) {
      // The working copy, the OS tree copied out of it, and the squashfs (about half the tree).
      return List.of(
          new Need(buildDir, data, data + data + data / 2), new Need(outputFolder, 0, data / 2));
    }
    return List.of(new Need(buildDir, data, data), new Need(outputFolder, data, data));
  }

  /** Sums the needs of the folders on each filesystem and holds them against its free space. */
  static List<Verdict> judge(
      List<Need> needs, Function<Path, Long> free, Function<Path, Object> filesystem) {
    Map<Object, List<Need>> byFilesystem = new LinkedHashMap<>();
    for (Need need : needs) {
      byFilesystem
          .computeIfAbsent(filesystem.apply(need.folder()), k -> new ArrayList<>())
          .add(need);
    }
    List<Verdict> verdicts = new ArrayList<>();
    for (List<Need> shared : byFilesystem.values()) {
      long minimum = shared.stream().mapToLong(Need::minimum).sum();
      long estimate = shared.stream().mapToLong(Need::estimate).sum();
      long available = free.apply(shared.get(0).folder());
      String folders =
          String.join(" and ", shared.stream().map(n -> n.folder().toString()).distinct().toList());
      if (available < minimum) {
        verdicts.add(
            new Verdict(
                true,
                "not enough space in "
                    + folders
                    + ": this run needs at least "
                    + human(minimum)
                    + (estimate > minimum ? " (about " + human(estimate) + ")" : "")
                    + " but only "
                    + human(available)
                    + " is free"));
      } else if (available < estimate) {
        verdicts.add(
            new Verdict(
                false,
                "space is tight in "
                    + folders
                    + ": this run probably needs about "
                    + human(estimate)
                    + " and "
                    + human(available)
                    + " is free"));
      }
    }
    return verdicts;
  }

  static String human(long bytes) {
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%d KiB", bytes / 1024);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  }

  /** The folder itself or, when it is still to be created, its nearest existing parent. */
  private static Path existing(Path folder) {
    Path at = folder.toAbsolutePath();
    while (!Files.exists(at) && at.getParent() != null) {
      at = at.getParent();
    }
    return at;
  }

  private static Long freeBytes(Path folder) {
    try {
      return Files.getFileStore(existing(folder)).getUsableSpace();
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read the free space of " + folder, e);
    }
  }

  private static Object filesystem(Path folder) {
    try {
      return Files.getAttribute(existing(folder), "unix:dev");
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read the filesystem of " + folder, e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + file, e);
    }
  }
}
