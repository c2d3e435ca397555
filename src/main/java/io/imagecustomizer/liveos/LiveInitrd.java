package io.imagecustomizer.liveos;

import io.imagecustomizer.chroot.Chroot;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bootstrap initrd, built by the image's own dracut so that it matches its kernel: it finds the
 * media (or downloads it, PXE) and mounts its squashfs with a RAM overlay.
 */
final class LiveInitrd {
  private static final Logger LOG = LoggerFactory.getLogger(LiveInitrd.class);
  private static final long MIB = 1024 * 1024;

  /**
   * Where dracut writes it, and its own work folder: the chroot's /tmp, a tmpfs gone with the
   * chroot, so dracut writes nothing into the image. The image may then be read-only, and packed
   * into the squashfs while dracut runs.
   */
  private static final String TMP = "/tmp";

  private static final String OUTPUT = TMP + "/imagecustomizer-live-initrd.img";

  private LiveInitrd() {}

  /**
   * @param dracut the {@link #command} for this kernel, the one its fingerprint records
   * @param sourceDate if given, what dracut dates the initrd's files with instead of now (dracut
   *     reads SOURCE_DATE_EPOCH; the chroot passes on no variable of ours unless told)
   */
  static void build(
      ProcessRunner runner,
      ImageRoot tree,
      List<String> dracut,
      String kernel,
      Path target,
      @Nullable Instant sourceDate) {
    LOG.debug("Building the Live OS initrd for kernel {}", kernel);
    try (Chroot chroot = Chroot.enter(runner, tree)) {
      chroot.run(
          "build the Live OS initrd", dracut, Command.sourceDateEnvironment(sourceDate), null);
      FileOps.copy(tree.resolve(OUTPUT), target);
    }
    LOG.info("Live OS initrd for kernel {}: {} MiB", kernel, FileOps.size(target) / MIB);
  }

  /**
   * dracut's command line. {@code --reproducible} (dracut 046 and later) costs nothing and is
   * always given: the CPIO in name order, owned by root, without the host's inode numbers.
   */
  static List<String> command(List<String> modules, String kernel) {
    return List.of(
        "dracut",
        "--force",
        "--no-hostonly",
        "--reproducible",
        "--tmpdir",
        TMP,
        "--kver",
        kernel,
        "--add",
        String.join(" ", modules),
        "--add-drivers",
        "overlay squashfs loop iso9660 sr_mod cdrom",
        OUTPUT);
  }

  /**
   * The dracut modules to add: dmsquash-live mounts the media, livenet downloads it; Debian's
   * dracut also needs network-legacy, or livenet never gets a network.
   */
  static List<String> modules(ImageRoot tree) {
    if (!hasModule(tree, "dmsquash-live")) {
      throw new ImageCustomizerException(
          "the image's dracut has no dmsquash-live module, which a Live OS needs",
          "install it in the image (os.packages.install: dracut-live on Debian and Fedora)");
    }
    List<String> modules = new ArrayList<>(List.of("dmsquash-live", "livenet"));
    if (hasModule(tree, "network-legacy")) {
      modules.add("network-legacy");
    }
    return List.copyOf(modules);
  }

  /** Whether a modules.d folder has {@code module}, behind its order number ({@code 90}). */
  private static boolean hasModule(ImageRoot tree, String module) {
    for (String base : List.of("/usr/lib/dracut/modules.d", "/lib/dracut/modules.d")) {
      Path dir = tree.resolve(base);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> entries = Files.list(dir)) {
          if (entries.anyMatch(
              p -> p.getFileName().toString().replaceFirst("^\\d+", "").equals(module))) {
            return true;
          }
        } catch (IOException e) {
          throw ImageCustomizerException.io("cannot list " + dir, e);
        }
      }
    }
    return false;
  }
}
