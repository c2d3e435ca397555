package io.imagecustomizer.config;

import static io.imagecustomizer.config.Checks.blank;

import io.imagecustomizer.error.ImageCustomizerException;
import java.nio.file.Files;
import java.util.regex.Pattern;

/**
 * The rules of the run as a whole: the input, base configs, and the output format against the rest.
 */
final class RunRules {
  private static final Pattern AZURE_LINUX_VARIANT =
      Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*");
  private static final Pattern AZURE_LINUX_VERSION = Pattern.compile("\\d+\\.\\d+(\\.\\d+)?");

  private final Checks checks;
  private final Problems problems;
  private final LoadedConfig loaded;
  private final Config config;

  RunRules(Checks checks) {
    this.checks = checks;
    this.problems = checks.problems();
    this.loaded = checks.loaded();
    this.config = checks.config();
  }

  void input(Input input) {
    InputImage image = input.image();
    int given =
        (image.path() != null ? 1 : 0)
            + (image.oci() != null ? 1 : 0)
            + (image.azureLinux() != null ? 1 : 0);
    if (given > 1) {
      problems.add("input.image", "must only specify one of 'path', 'oci' and 'azureLinux'");
    }
    if (image.path() != null && image.path().isBlank()) {
      problems.add("input.image.path", "must not be empty");
    }
    if (image.oci() != null) {
      checks.needsPreview("input.image.oci", PreviewFeature.INPUT_IMAGE_OCI);
      if (blank(image.oci().uri())) {
        problems.add("input.image.oci.uri", "must not be empty");
      } else {
        try {
          OciReference.parse(image.oci().uri());
        } catch (ImageCustomizerException e) {
          problems.add("input.image.oci.uri", e.getMessage(), e.hint());
        }
      }
    }
    AzureLinuxImage azl = image.azureLinux();
    if (azl != null) {
      if (azl.variant() == null || !AZURE_LINUX_VARIANT.matcher(azl.variant()).matches()) {
        problems.add(
            "input.image.azureLinux.variant",
            "must be an image variant name such as \"minimal-os\"");
      }
      if (azl.version() == null || !AZURE_LINUX_VERSION.matcher(azl.version()).matches()) {
        problems.add(
            "input.image.azureLinux.version", "must be MAJOR.MINOR or MAJOR.MINOR.DATE, e.g. 3.0");
      }
    }
  }

  void baseConfigs() {
    if (config.baseConfigs().isEmpty()) {
      return;
    }
    checks.needsPreview("baseConfigs", PreviewFeature.BASE_CONFIGS);
    for (int i = 0; i < config.baseConfigs().size(); i++) {
      String path = config.baseConfigs().get(i).path();
      if (blank(path)) {
        problems.add("baseConfigs[" + i + "].path", "must not be empty");
      } else if (!Files.isRegularFile(loaded.resolve(path))) {
        problems.add(
            "baseConfigs[" + i + "].path",
            "base config " + loaded.resolve(path) + " does not exist",
            "relative paths are resolved against the config file's folder");
      }
    }
  }

  /**
   * The rules that need the output format, known only once the command line has been read; {@link
   * RunSettings#resolve} runs them on the chain's merged config.
   */
  static void outputFormat(
      Config config, OutputFormat format, boolean isoInput, Problems problems) {
    if (isoInput && !format.isLiveOs()) {
      problems.add(
          "output.image.format",
          "cannot generate output format " + format + " from an ISO input",
          "an ISO input can be written as iso, pxe-dir or pxe-tar");
    }
    if (isoInput && !config.storage().disks().isEmpty()) {
      problems.add("storage.disks", "cannot customize partitions when the input is an ISO");
    }
    if (isoInput && config.storage().resetPartitionsUuidsType() != null) {
      problems.add(
          "storage.resetPartitionsUuidsType", "cannot reset partition UUIDs of an ISO input");
    }
    if (isoInput
        && config.os() != null
        && config.os().bootloader() != null
        && config.os().bootloader().resetType() != null) {
      problems.add(
          "os.bootloader.resetType",
          "an ISO input has no disk boot loader to reset",
          "the Live OS media get their own grub.cfg; remove os.bootloader");
    }
    Pxe pxe = config.pxe();
    if (format.isPxe()
        && pxe != null
        && pxe.initramfsType() == InitramfsType.BOOTSTRAP
        && pxe.bootstrapBaseUrl() == null
        && pxe.bootstrapFileUrl() == null) {
      problems.add(
          "pxe.initramfsType",
          "a bootstrap PXE initrd downloads the OS, but no URL is given",
          "set pxe.bootstrapBaseUrl (the folder you serve the artifacts from) or"
              + " pxe.bootstrapFileUrl");
    }
    if (format.isLiveOs() && !config.storage().verity().isEmpty()) {
      problems.add("storage.verity", "a Live OS output cannot use dm-verity");
    }
    if (format.isLiveOs() && config.os() != null && config.os().uki() != null) {
      problems.add(
          "os.uki",
          "converting UKI images to a Live OS is not supported: the Live OS boots its kernel and"
              + " initramfs with grub",
          "leave os.uki out of a Live OS config");
    }
    if (format.isLiveOs() && config.output().artifacts() != null) {
      problems.add(
          "output.artifacts",
          "not supported with a Live OS output: the artifacts and their inject-files.yaml name"
              + " partitions of a disk image, and an ISO or PXE output has none to inject into",
          "write a disk image with the artifacts, sign and inject them (inject-files), then make"
              + " the Live OS from the signed image");
    }
    if ((format.isLiveOs() || format.isCosi())
        && config.storage().reinitializeVerity() == Storage.ReinitializeVerity.ALL) {
      problems.add(
          "storage.reinitializeVerity",
          "not supported yet: a " + format + " output of a verity image",
          "write a disk image (raw, qcow2, vhd, vhdx)");
    }
    if (format.isCosi() && !config.storage().verity().isEmpty()) {
      // upstream shrinks the filesystems before hashing them; this writer shrinks them after
      problems.add(
          "storage.verity",
          "not supported yet: a " + format + " output with dm-verity",
          "write a disk image (raw, qcow2, vhd, vhdx), or leave out storage.verity");
    }
    if (format.isLiveOs()
        && config.storage().bootType() == Storage.BootType.LEGACY
        && config.storage().disks().stream()
            .flatMap(disk -> disk.partitions().stream())
            .noneMatch(partition -> "esp".equals(partition.type()))) {
      problems.add(
          "storage.bootType",
          "a Live OS boots with the shim and grub of the image's ESP, and this BIOS-only layout"
              + " has no ESP",
          "add an esp partition (fat32 at /boot/efi) to the layout, or write a disk image");
    }
    boolean removesPackageManager =
        config.os() != null
            && config.os().packages() != null
            && Boolean.TRUE.equals(config.os().packages().removePackageManager());
    if (removesPackageManager && (format.isLiveOs() || format.isCosi())) {
      problems.add(
          "os.packages.removePackageManager",
          "removePackageManager does not work with output format " + format);
    }
  }
}
