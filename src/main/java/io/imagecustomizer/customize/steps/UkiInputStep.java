package io.imagecustomizer.customize.steps;

import io.imagecustomizer.boot.Ukis;
import io.imagecustomizer.config.Os;
import io.imagecustomizer.config.Os.UkiMode;
import io.imagecustomizer.customize.BootDisk;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.format.pe.PeImage;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.resource.TempDir;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before anything changes the OS: whether the image boots UKIs, and whether {@code os.uki} says
 * what to do with them (upstream's rules: an image with UKIs needs a mode, {@code passthrough} and
 * {@code modify} need UKIs, {@code modify} needs their command-line addons). For {@code create} on
 * such an image, each UKI's kernel and initramfs go back to /boot, so packages and the initramfs
 * step see the kernels and the new UKIs are made from what the run leaves there.
 */
public final class UkiInputStep implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(UkiInputStep.class);

  @Override
  public String name() {
    return "UKI input";
  }

  @Override
  public Set<String> applies() {
    return Set.of();
  }

  @Override
  public boolean perConfig() {
    return false;
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return context.disk() != null;
  }

  @Override
  public void run(CustomizeContext context) {
    BootDisk disk = context.disk();
    Optional<UkiMode> mode = mode(context);
    Optional<FatImage> esp = disk.esp();
    if (esp.isEmpty()) {
      if (mode.isPresent()) {
        throw new ImageCustomizerException(
            "os.uki: the image has no EFI system partition to hold UKIs",
            "UKIs boot on UEFI only; drop os.uki for this image");
      }
      return;
    }
    List<String> files = esp.get().list();
    Map<String, String> ukis = Ukis.on(files);
    if (ukis.isEmpty()) {
      if (mode.isPresent() && mode.get() != UkiMode.CREATE) {
        throw new ImageCustomizerException(
            "os.uki.mode is '"
                + mode.get().name().toLowerCase()
                + "' but the image has no UKIs (no "
                + Ukis.FOLDER
                + "/vmlinuz-*.efi on its ESP)",
            "use mode 'create' to build UKIs from the image's kernels, or leave os.uki out");
      }
      return;
    }
    if (mode.isEmpty()) {
      throw new ImageCustomizerException(
          "the image boots UKIs (" + String.join(", ", ukis.values()) + ") but os.uki is not set",
          "say what happens to them with os.uki.mode: 'create' rebuilds them from the customized"
              + " OS, 'passthrough' keeps them as they are (and their signatures), 'modify'"
              + " changes only their command-line addons (previewFeatures: [uki])");
    }
    switch (mode.get()) {
      case MODIFY -> {
        for (String version : ukis.keySet()) {
          if (Ukis.addonOn(files, version).isEmpty()) {
            throw new ImageCustomizerException(
                "os.uki.mode 'modify' changes a UKI's command-line addon, but "
                    + ukis.get(version)
                    + " has none ("
                    + Ukis.addonPath(version)
                    + ")",
                "use mode 'create' to rebuild the UKIs with their command line in an addon");
          }
        }
      }
      case CREATE -> restoreKernels(context.root(), esp.get(), ukis, disk.buildDir());
      case PASSTHROUGH -> LOG.info("Keeping the image's UKIs as they are");
    }
  }

  static Optional<UkiMode> mode(CustomizeContext context) {
    return context.os().map(Os::uki).map(Os.Uki::mode);
  }

  /** Puts each UKI's kernel and initramfs back in /boot, unless the kernel is already there. */
  private static void restoreKernels(
      ImageRoot root, FatImage esp, Map<String, String> ukis, Path buildDir) {
    try (TempDir work = TempDir.create(buildDir, "uki")) {
      Path uki = work.path().resolve("input.efi");
      for (Map.Entry<String, String> entry : ukis.entrySet()) {
        String version = entry.getKey();
        String kernel = "/boot/vmlinuz-" + version;
        if (root.exists(kernel)) {
          continue;
        }
        LOG.info("Taking kernel {} out of {} to rebuild its UKI", version, entry.getValue());
        esp.copyOut(entry.getValue(), uki);
        extract(uki, ".linux", root.resolve(kernel), entry.getValue());
        extract(
            uki, ".initrd", root.resolve("/boot/initramfs-" + version + ".img"), entry.getValue());
      }
    }
  }

  private static void extract(Path uki, String section, Path target, String espPath) {
    if (!PeImage.copySection(uki, section, target)) {
      throw new ImageCustomizerException(
          espPath + " has no " + section + " section: it is no UKI",
          "remove it from the ESP's " + Ukis.FOLDER + " folder, or use mode 'passthrough'");
    }
  }
}
