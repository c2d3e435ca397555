package io.imagecustomizer.config;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What one customize run works with, once the command line has overridden the config: the input
 * image, the output file and format, the build folder and the package sources, and
 * SOURCE_DATE_EPOCH when the output is to be reproducible ({@code sourceDate}, null otherwise).
 * Command-line paths are relative to the working directory, config paths to the config file's
 * folder, as upstream.
 */
public record RunSettings(
    ConfigChain chain,
    LoadedConfig loaded,
    Path buildDir,
    Path inputImage,
    OutputFormat outputFormat,
    Path outputPath,
    List<Path> rpmSources,
    boolean disableBaseImageRpmRepos,
    @Nullable Instant packageSnapshotTime,
    SquashfsCompression squashfsCompression,
    int cosiCompressionLevel,
    @Nullable Instant sourceDate) {

  /** ISO 9660's standard identifier in the first volume descriptor (sector 16, byte 1). */
  private static final byte[] ISO_SIGNATURE = "CD001".getBytes(StandardCharsets.US_ASCII);

  private static final long ISO_SIGNATURE_AT = 16 * 2048 + 1;

  public RunSettings {
    rpmSources = List.copyOf(rpmSources);
  }

  /** The chain's merged settings. */
  public Config config() {
    return loaded.config();
  }

  /**
   * The folder of {@code output.artifacts}, relative to the config file's, if artifacts are asked.
   */
  public @Nullable Path artifactsFolder() {
    OutputArtifacts artifacts = config().output().artifacts();
    return artifacts == null ? null : loaded.resolve(artifacts.path());
  }

  /**
   * Whether the input is a Live OS ISO, the one answer every part of a run uses: it carries the ISO
   * 9660 signature (an ISO renamed to .img is still one), or it is named .iso as upstream decides.
   * A damaged file named .iso thus gets the ISO checks, whose errors say what is wrong with it ("is
   * not an ISO 9660 image", "is truncated"), rather than a disk's partition-table error.
   */
  public boolean inputIsIso() {
    return isIso(inputImage);
  }

  static boolean isIso(Path file) {
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".iso")) {
      return true;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() >= ISO_SIGNATURE_AT + ISO_SIGNATURE.length) {
        ByteBuffer found = ByteBuffer.allocate(ISO_SIGNATURE.length);
        channel.read(found, ISO_SIGNATURE_AT);
        return Arrays.equals(found.array(), ISO_SIGNATURE);
      }
    } catch (IOException e) {
      // unreadable: the input checks report that, naming the file
    }
    return false;
  }

  /**
   * The command-line values of a customize run, and SOURCE_DATE_EPOCH from its environment; null
   * where the flag or the variable was not given.
   *
   * @param image {@code --image}: {@code oci:URI} or {@code azurelinux:VARIANT:VERSION}
   * @param imageCacheDir {@code --image-cache-dir}, where pulled images are kept
   */
  public record CommandLine(
      Path buildDir,
      @Nullable Path imageFile,
      @Nullable String image,
      @Nullable Path imageCacheDir,
      @Nullable Path outputImageFile,
      @Nullable OutputFormat outputImageFormat,
      List<Path> rpmSources,
      boolean disableBaseImageRpmRepos,
      @Nullable String packageSnapshotTime,
      SquashfsCompression squashfsCompression,
      @Nullable Integer cosiCompressionLevel,
      @Nullable Instant sourceDate) {}

  /**
   * Combines config and command line, and checks everything a run needs before it touches anything:
   * the config itself (with the files it names), then input, output and package sources.
   *
   * @param puller pulls an input image from a registry, once everything else is checked
   * @throws ConfigException listing every problem found
   */
  public static RunSettings resolve(
      ConfigChain chain, CommandLine cli, Function<Pull, Path> puller) {
    chain.validate(true);
    LoadedConfig loaded = chain.merged();
    Problems problems = new Problems(loaded);
    Config config = loaded.config();
    Pull pull = pull(loaded, cli, problems);
    Path input = pull == null ? input(loaded, cli, problems) : null;
    OutputFormat format = cli.outputImageFormat();
    if (format == null) {
      format = config.output().image().format();
    }
    if (format == null) {
      problems.add(
          "output.image.format",
          "output image format must be specified",
          "pass --output-image-format or set output.image.format");
    }
    Path output = cli.outputImageFile();
    if (output == null && config.output().image().path() != null) {
      output = loaded.resolve(config.output().image().path());
    }
    if (output == null) {
      problems.add(
          "output.image.path",
          "output image file must be specified",
          "pass --output-image-file or set output.image.path");
    } else if (Files.isDirectory(output) && format != OutputFormat.PXE_DIR) {
      problems.add(
          "output.image.path",
          "output " + output + " is an existing directory",
          "name a file to write, e.g. " + output.resolve("image." + extension(format)));
    }
    if (format != null) {
      RunRules.outputFormat(config, format, input != null && isIso(input), problems);
    }
    for (Path source : cli.rpmSources()) {
      if (!Files.isDirectory(source) && !(Files.isRegularFile(source) && isRepoFile(source))) {
        problems.add(
            "",
            "--rpm-source " + source + " is neither a directory nor a .repo file",
            "give a folder of packages or a .repo file");
      }
    }
    boolean installs = chain.members().stream().anyMatch(m -> installsPackages(m.config().os()));
    if (installs && cli.disableBaseImageRpmRepos() && cli.rpmSources().isEmpty()) {
      problems.add(
          "os.packages",
          "have packages to install or update but no package sources",
          "pass --rpm-source, or drop --disable-base-image-rpm-repos");
    }
    Instant snapshot = snapshotTime(config, cli, problems);
    Integer level = cli.cosiCompressionLevel();
    if (level != null && format != null && !format.isCosi()) {
      problems.add(
          "",
          "--cosi-compression-level can only be given with output format cosi or baremetal-image",
          "drop it, or write cosi or baremetal-image");
    } else if (level != null && (level < 1 || level > 22)) {
      problems.add("", "--cosi-compression-level must be between 1 and 22, not " + level);
    }
    if (level == null) {
      level = configLevel(config);
    }
    problems.throwIfAny(loaded.file());
    if (pull != null) {
      // Only once every check of the run has passed: a download is work.
      input = puller.apply(pull);
    }
    return new RunSettings(
        chain,
        loaded,
        cli.buildDir().toAbsolutePath().normalize(),
        input,
        format,
        output.toAbsolutePath().normalize(),
        cli.rpmSources(),
        cli.disableBaseImageRpmRepos(),
        snapshot,
        cli.squashfsCompression(),
        level != null ? level : format.defaultCosiLevel(),
        cli.sourceDate());
  }

  /** {@code --package-snapshot-time}, which stands in for every config's snapshotTime. */
  private static @Nullable Instant snapshotTime(Config config, CommandLine cli, Problems problems) {
    String text = cli.packageSnapshotTime();
    if (text == null) {
      return null;
    }
    if (!config.previewFeatures().contains(PreviewFeature.PACKAGE_SNAPSHOT_TIME)) {
      problems.add(
          "previewFeatures",
          "preview feature 'package-snapshot-time' required to specify package snapshot time"
              + " (--package-snapshot-time)",
          "add package-snapshot-time to previewFeatures");
    }
    Instant time = SnapshotTime.parse(text);
    if (time == null) {
      problems.add("", "--package-snapshot-time \"" + text + "\" is not a date", SnapshotTime.HINT);
    }
    return time;
  }

  private static @Nullable Integer configLevel(Config config) {
    CosiConfig cosi = config.output().image().cosi();
    return cosi == null || cosi.compression() == null ? null : cosi.compression().level();
  }

  private static @Nullable Path input(LoadedConfig loaded, CommandLine cli, Problems problems) {
    InputImage image = loaded.config().input().image();
    Path input = cli.imageFile();
    if (input == null && image.path() != null && !image.path().isBlank()) {
      input = loaded.resolve(image.path());
    }
    if (input == null && image.azureLinux() != null) {
      problems.add(
          "input.image.azureLinux",
          "pulling published Azure Linux images is not supported: upstream checks their notation"
              + " signatures, which this version cannot do yet",
          "pull the image yourself and pass it with --image-file");
      return null;
    }
    if (input == null) {
      problems.add(
          "input.image.path",
          "input image file must be specified",
          "pass --image-file or set input.image.path");
      return null;
    }
    if (!Files.exists(input)) {
      problems.add("input.image.path", "input image " + input + " does not exist");
    } else if (!Files.isRegularFile(input)) {
      problems.add("input.image.path", "input image " + input + " is not a file");
    }
    return input.toAbsolutePath().normalize();
  }

  /**
   * An input image to pull from an OCI registry into the image cache ({@code platform} null for
   * this machine's).
   */
  public record Pull(OciReference reference, @Nullable OciPlatform platform, Path cacheDir) {}

  /**
   * The pull the run's input needs, if it comes from a registry: {@code --image oci:URI}, else
   * {@code input.image.oci} when neither {@code --image-file} nor {@code input.image.path} is given
   * (the command line overrides the config, as upstream). Null, with any problem noted, otherwise.
   */
  private static @Nullable Pull pull(LoadedConfig loaded, CommandLine cli, Problems problems) {
    InputImage image = loaded.config().input().image();
    String uri;
    OciPlatform platform = null;
    String at;
    if (cli.image() != null) {
      at = "--image";
      if (cli.imageFile() != null) {
        problems.add("", "cannot specify both --image and --image-file", "give one of them");
        return null;
      }
      if (cli.image().startsWith("azurelinux:")) {
        problems.add(
            "",
            "--image "
                + cli.image()
                + ": pulling published Azure Linux images is not supported: upstream checks their"
                + " notation signatures, which this version cannot do yet",
            "pull the image yourself and pass it with --image-file, or give oci:URI");
        return null;
      }
      if (!cli.image().startsWith("oci:")) {
        problems.add(
            "",
            "invalid --image \"" + cli.image() + "\"",
            "supported formats: oci:<URI>, azurelinux:<VARIANT>:<VERSION>");
        return null;
      }
      uri = cli.image().substring("oci:".length());
      if (!loaded.config().previewFeatures().contains(PreviewFeature.INPUT_IMAGE_OCI)) {
        problems.add(
            "previewFeatures",
            "preview feature 'input-image-oci' required to specify OCI input image",
            "add input-image-oci to previewFeatures");
      }
    } else if (cli.imageFile() == null
        && (image.path() == null || image.path().isBlank())
        && image.oci() != null) {
      at = "input.image.oci.uri";
      uri = image.oci().uri() == null ? "" : image.oci().uri();
      platform = image.oci().platform();
    } else {
      return null;
    }
    OciReference reference;
    try {
      reference = OciReference.parse(uri);
    } catch (ImageCustomizerException e) {
      problems.add(at, e.getMessage(), e.hint());
      return null;
    }
    if (reference.tag() == null && reference.digest() == null) {
      problems.add(at, "OCI reference " + reference + " has no tag or digest to pull", "add :TAG");
      return null;
    }
    if (cli.imageCacheDir() == null) {
      problems.add(
          at,
          "image cache directory (--image-cache-dir) must be provided to download images",
          "pass --image-cache-dir DIR; pulled images are kept there by digest");
      return null;
    }
    return new Pull(reference, platform, cli.imageCacheDir().toAbsolutePath().normalize());
  }

  private static boolean installsPackages(@Nullable Os os) {
    if (os == null || os.packages() == null) {
      return false;
    }
    Packages packages = os.packages();
    return !packages.install().isEmpty()
        || !packages.installLists().isEmpty()
        || !packages.update().isEmpty()
        || !packages.updateLists().isEmpty()
        || Boolean.TRUE.equals(packages.updateExistingPackages());
  }

  private static boolean isRepoFile(Path path) {
    return path.getFileName().toString().endsWith(".repo");
  }

  private static String extension(@Nullable OutputFormat format) {
    if (format == null) {
      return "raw";
    }
    return switch (format) {
      case VHD_FIXED -> "vhd";
      case PXE_TAR -> "tar.gz";
      default -> format.toString();
    };
  }
}
