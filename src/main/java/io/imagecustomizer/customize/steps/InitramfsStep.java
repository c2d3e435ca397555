package io.imagecustomizer.customize.steps;

import io.imagecustomizer.boot.Ukis;
import io.imagecustomizer.config.Storage;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Rebuilds the initramfs of every installed kernel, in place and under its own name, when the
 * storage section changed the root device or its identifiers (an initramfs may carry the old ones:
 * a host-only dracut image names its root), or added verity devices it must open, or overlays (the
 * initramfs gets the overlay driver; an initramfs overlay is mounted by it).
 */
public final class InitramfsStep implements Step {
  private static final List<String> DRACUT = List.of("/usr/bin/dracut", "/usr/sbin/dracut");
  private static final List<String> UPDATE_INITRAMFS =
      List.of("/usr/sbin/update-initramfs", "/usr/bin/update-initramfs");

  @Override
  public String name() {
    return "initramfs";
  }

  @Override
  public Set<String> applies() {
    // Follows from storage.disks, storage.resetPartitionsUuidsType, storage.verity and
    // os.overlays, applied by their stages and steps.
    return Set.of();
  }

  @Override
  public boolean perConfig() {
    return false;
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    Storage storage = context.config().storage();
    return !storage.disks().isEmpty()
        || storage.resetPartitionsUuidsType() != null
        || !storage.verity().isEmpty()
        || context.os().map(os -> !os.overlays().isEmpty()).orElse(false);
  }

  @Override
  public void run(CustomizeContext context) {
    ImageRoot root = context.root();
    boolean dracut = DRACUT.stream().anyMatch(root::exists);
    if (!dracut && UPDATE_INITRAMFS.stream().noneMatch(root::exists)) {
      throw new ImageCustomizerException(
          "the disk layout changed, but the image has no dracut or update-initramfs to rebuild"
              + " its initramfs with",
          "install dracut in the image with os.packages.install");
    }
    for (String kernel : kernels(root)) {
      if (dracut) {
        // An image may carry both names (Debian's hooks write initrd.img-, dracut's Azure Linux
        // layout initramfs-), and grub-mkconfig prefers Debian's: every one present is rebuilt.
        List<String> images =
            Ukis.KernelFiles.initramfsNames(kernel).stream().filter(root::exists).toList();
        String image = images.isEmpty() ? "/boot/initramfs-" + kernel + ".img" : images.get(0);
        context.shell().run("rebuild the initramfs", "dracut", "--force", image, kernel);
        for (String other : images.subList(Math.min(1, images.size()), images.size())) {
          root.copyFile(root.resolve(image), other, null);
        }
      } else {
        context.shell().run("rebuild the initramfs", "update-initramfs", "-u", "-k", kernel);
      }
    }
  }

  private static List<String> kernels(ImageRoot root) {
    Path modules = root.resolve("/lib/modules");
    if (!Files.isDirectory(modules)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(modules)) {
      return entries
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot list the image's kernels", e);
    }
  }
}
