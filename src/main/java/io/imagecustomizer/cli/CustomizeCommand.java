package io.imagecustomizer.cli;

import io.imagecustomizer.config.ConfigChain;
import io.imagecustomizer.config.OutputFormat;
import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.config.SquashfsCompression;
import io.imagecustomizer.customize.steps.StandardSteps;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.progress.Progress;
import io.imagecustomizer.progress.ProgressLog;
import io.imagecustomizer.progress.TimestampFile;
import io.imagecustomizer.run.plan.CustomizeRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code customize}: applies a config to an image and writes the result. */
@Command(
    name = "customize",
    mixinStandardHelpOptions = true,
    description = "Customizes an OS image (the default subcommand).")
final class CustomizeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(CustomizeCommand.class);

  @ParentCommand RootCommand root;

  @Option(
      names = "--build-dir",
      required = true,
      paramLabel = "DIR",
      description = "Folder for temporary files; created if missing.")
  Path buildDir;

  @Option(
      names = "--config-file",
      required = true,
      paramLabel = "FILE",
      description = "The YAML (or JSON) customization config.")
  Path configFile;

  @Option(
      names = "--image-file",
      paramLabel = "FILE",
      description =
          "The input image: raw, qcow2, vhd, vhdx, or a Live OS .iso made by this tool."
              + " Overrides input.image.path.")
  @Nullable Path imageFile;

  @Option(
      names = {"--output-image-file", "--output-path"},
      paramLabel = "PATH",
      description =
          "Where to write the output (a folder for pxe-dir). Overrides output.image.path.")
  @Nullable Path outputImageFile;

  @Option(
      names = "--output-image-format",
      paramLabel = "FORMAT",
      converter = OutputFormatConverter.class,
      description =
          "raw, qcow2, vhd, vhd-fixed, vhdx, iso, pxe-dir or pxe-tar. Overrides"
              + " output.image.format.")
  @Nullable OutputFormat outputImageFormat;

  @Option(
      names = "--rpm-source",
      paramLabel = "PATH",
      description = "A folder of RPMs or a .repo file (repeatable).")
  List<Path> rpmSources = new ArrayList<>();

  @Option(
      names = "--disable-base-image-rpm-repos",
      description = "Do not use the package repositories configured in the image.")
  boolean disableBaseImageRpmRepos;

  @Option(
      names = "--squashfs-compression",
      paramLabel = "NAME",
      converter = SquashfsCompressionConverter.class,
      description =
          "Compressor of a Live OS's rootfs.img: zstd (default), xz (smaller, slower), gzip, lz4,"
              + " lzo.")
  SquashfsCompression squashfsCompression = SquashfsCompression.ZSTD;

  @Option(
      names = "--timestamp-file",
      paramLabel = "FILE",
      description =
          "Write the time of every stage and step to FILE, one JSON record a line (as upstream).")
  @Nullable Path timestampFile;

  @Override
  public Integer call() {
    root.logging.apply();
    Instant sourceDate = SourceDateEpoch.of(root.environment);
    ConfigChain chain = ConfigChain.load(configFile);
    chain.members().forEach(m -> m.warnings().forEach(w -> LOG.warn("{}: {}", m.file(), w)));
    RunSettings settings =
        RunSettings.resolve(
            chain,
            new RunSettings.CommandLine(
                buildDir,
                imageFile,
                outputImageFile,
                outputImageFormat,
                rpmSources,
                disableBaseImageRpmRepos,
                squashfsCompression,
                sourceDate));
    // After the config checks, which need no root, and before anything touches the host.
    requireRoot();
    LOG.info(
        "Config is valid: {} -> {} ({})",
        settings.inputImage(),
        settings.outputPath(),
        settings.outputFormat());
    if (sourceDate != null) {
      LOG.info("SOURCE_DATE_EPOCH is set: reproducible output, dated {}", sourceDate);
    }
    Progress progress = new Progress().listen(new ProgressLog());
    try (TimestampFile timestamps =
        timestampFile == null ? null : TimestampFile.create(timestampFile)) {
      if (timestamps != null) {
        progress.listen(timestamps);
      }
      new CustomizeRun(new SystemProcessRunner(), StandardSteps.pipeline(), progress).run(settings);
    }
    return 0;
  }

  /** Fails before any work when not run as root, saying why root is needed. */
  private static void requireRoot() {
    int uid;
    try {
      // /proc/self belongs to the effective uid, the one the kernel checks.
      uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot tell which user runs this", e);
    }
    if (uid != 0) {
      throw new ImageCustomizerException(
          "customize must run as root (it runs as uid "
              + uid
              + "): it attaches the image's partitions to loop devices, mounts them and runs"
              + " the OS changes in a chroot",
          "run it with sudo or as root; validate-config checks a config without root");
    }
  }
}
