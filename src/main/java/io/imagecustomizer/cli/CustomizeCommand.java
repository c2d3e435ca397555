package io.imagecustomizer.cli;

import io.imagecustomizer.config.ConfigChain;
import io.imagecustomizer.config.OutputFormat;
import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.config.SquashfsCompression;
import io.imagecustomizer.customize.steps.StandardSteps;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.oci.OciPull;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.progress.Progress;
import io.imagecustomizer.progress.ProgressLog;
import io.imagecustomizer.progress.TimestampFile;
import io.imagecustomizer.run.Artifact;
import io.imagecustomizer.run.RunSummary;
import io.imagecustomizer.run.plan.CustomizeRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
      names = "--image",
      paramLabel = "IMAGE",
      description =
          "The input image from a registry: oci:REGISTRY/REPOSITORY:TAG (or @sha256:DIGEST), the"
              + " layer titled *.vhdx, *.vhd, *.qcow2, *.img or *.raw; needs preview feature"
              + " input-image-oci and --image-cache-dir. Overrides input.image.")
  @Nullable String image;

  @Option(
      names = "--image-cache-dir",
      paramLabel = "DIR",
      description =
          "Where images pulled with --image or input.image.oci are kept, by manifest digest; a"
              + " second run with the same digest downloads nothing.")
  @Nullable Path imageCacheDir;

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
      names = "--package-snapshot-time",
      paramLabel = "TIME",
      description =
          "Install and update only packages published before TIME (YYYY-MM-DD or RFC 3339;"
              + " preview package-snapshot-time). Overrides os.packages.snapshotTime.")
  @Nullable String packageSnapshotTime;

  @Option(
      names = "--squashfs-compression",
      paramLabel = "NAME[:LEVEL]",
      converter = SquashfsCompressionConverter.class,
      description =
          "Compressor of a Live OS's rootfs.img, with an optional level: zstd (default zstd:6;"
              + " levels 1-22), xz (smaller, slower), gzip (1-9), lz4, lzo (1-9).")
  SquashfsCompression squashfsCompression = SquashfsCompression.DEFAULT;

  @Option(
      names = "--cosi-compression-level",
      paramLabel = "LEVEL",
      description =
          "zstd level (1-22) of cosi and baremetal-image outputs; overrides"
              + " output.image.cosi.compression.level (default 9, baremetal-image 22).")
  @Nullable Integer cosiCompressionLevel;

  @Mixin UnappliedCustomizeOptions unapplied = new UnappliedCustomizeOptions();

  @Option(
      names = "--summary-json",
      paramLabel = "FILE",
      description =
          "Write what the run built to FILE as JSON (docs/summary.schema.json): input, configs and"
              + " outputs with sizes and SHA-256, stage times, warnings, exit code; also when it"
              + " fails.")
  @Nullable Path summaryJson;

  // What the run had got to, for the summary of a run that fails part way.
  private @Nullable ConfigChain chain;
  private @Nullable RunSettings settings;

  @Override
  public Integer call() {
    root.logging.apply();
    Instant started = Instant.now();
    Progress progress = new Progress().listen(new ProgressLog());
    List<Artifact> outputs;
    try {
      outputs = customize(progress);
    } catch (RuntimeException e) {
      if (summaryJson != null) {
        try {
          summary(started, progress, List.of(), e).write(summaryJson);
        } catch (RuntimeException summaryFailed) {
          e.addSuppressed(summaryFailed);
        }
      }
      throw e;
    }
    if (summaryJson != null) {
      summary(started, progress, outputs, null).write(summaryJson);
    }
    return 0;
  }

  private List<Artifact> customize(Progress progress) {
    if (summaryJson != null) {
      createParent(summaryJson);
    }
    unapplied.refuseGiven();
    Instant sourceDate = SourceDateEpoch.of(root.environment);
    chain = ConfigChain.load(configFile);
    chain.members().forEach(m -> m.warnings().forEach(w -> LOG.warn("{}: {}", m.file(), w)));
    settings =
        RunSettings.resolve(
            chain,
            new RunSettings.CommandLine(
                buildDir,
                imageFile,
                image,
                imageCacheDir,
                outputImageFile,
                outputImageFormat,
                rpmSources,
                disableBaseImageRpmRepos,
                packageSnapshotTime,
                squashfsCompression,
                cosiCompressionLevel,
                sourceDate),
            OciPull::pull);
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
    try (TimestampFile timestamps =
        root.timestampFile == null ? null : TimestampFile.create(root.timestampFile)) {
      if (timestamps != null) {
        progress.listen(timestamps);
      }
      return new CustomizeRun(new SystemProcessRunner(), StandardSteps.pipeline(), progress)
          .run(settings);
    }
  }

  /**
   * What the run did, as far as it got: the input and configs hashed now (the run never changes
   * them), the stages from the same spans the log and {@code --timestamp-file} read.
   */
  private RunSummary summary(
      Instant started, Progress progress, List<Artifact> outputs, @Nullable Exception failure) {
    List<Path> configs =
        chain == null ? List.of(configFile) : chain.members().stream().map(m -> m.file()).toList();
    OutputFormat format = settings == null ? outputImageFormat : settings.outputFormat();
    return new RunSummary(
        "customize",
        started,
        Instant.now(),
        failure == null ? 0 : Main.exitCode(failure),
        failure == null ? null : Main.errorText(failure),
        RunSummary.describe(settings == null ? imageFile : settings.inputImage()),
        configs.stream().map(RunSummary::describe).filter(Objects::nonNull).toList(),
        format == null ? null : format.toString(),
        outputs,
        RunSummary.stages(progress),
        root.logging.warnings());
  }

  private static void createParent(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot create the folder of --summary-json " + file, e);
    }
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
