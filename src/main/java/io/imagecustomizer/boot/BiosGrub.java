package io.imagecustomizer.boot;

import io.imagecustomizer.chroot.ImageShell;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.process.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GRUB for BIOS firmware ({@code i386-pc}) put on a GPT disk by the image's own grub-install, as
 * upstream does for {@code storage.bootType: legacy}: the boot code goes into the protective MBR,
 * the core image into the {@code bios-grub} partition and the modules under /boot.
 *
 * <p>Inside the chroot each partition is its own loop device, so grub-install sees the /boot
 * filesystem on another disk than the one it installs to: it then has the core image find /boot by
 * its filesystem UUID, which also holds on the booted machine. It cannot see the GPT around that
 * filesystem, so the GPT module is named outright.
 */
public final class BiosGrub {
  private static final Logger LOG = LoggerFactory.getLogger(BiosGrub.class);

  /** Where grub-install takes the i386-pc boot code and modules from, on every distribution. */
  static final String MODULES = "/usr/lib/grub/i386-pc";

  private static final List<String> INSTALLERS = List.of("grub2-install", "grub-install");

  private BiosGrub() {}

  /**
   * Fails unless the image has what a BIOS install needs, with the packages that bring it.
   *
   * @return the installer's name
   */
  public static String requireTools(ImageRoot root) {
    String installer = ImagePrograms.first(root, INSTALLERS).orElse(null);
    if (installer == null || !root.exists(MODULES + "/boot.img")) {
      throw new ImageCustomizerException(
          "storage.bootType: legacy needs grub's BIOS boot code in the image ("
              + MODULES
              + " and grub2-install or grub-install), and "
              + (installer == null
                  ? "it has no grub2-install or grub-install"
                  : "it has no " + MODULES),
          "add the package with os.packages.install: grub2-pc on Azure Linux and Fedora,"
              + " grub-pc-bin (with grub2-common) on Debian and Ubuntu");
    }
    return installer;
  }

  /**
   * Installs grub for BIOS onto the whole of {@code rawDisk} and makes sure the core image, which
   * reads {@code grub.cfg} from the installer's own folder, reaches {@code mainConfig}.
   *
   * @param bootFsPath how grub names {@code mainConfig} on the /boot filesystem (without a mount
   *     point prefix, and from a btrfs filesystem's top level)
   */
  public static void install(
      ImageRoot root,
      ImageShell shell,
      ProcessRunner runner,
      Path rawDisk,
      String mainConfig,
      String bootFsPath) {
    String installer = requireTools(root);
    long size;
    try {
      size = Files.size(rawDisk);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read the size of " + rawDisk, e);
    }
    try (LoopDevice disk = LoopDevice.attach(runner, rawDisk, 0, size, false)) {
      DeviceNodes.make(runner, root, disk.device());
      LOG.info("Installing grub for BIOS boot with the image's {}", installer);
      shell.run(
          "install grub for BIOS boot",
          List.of(
              installer,
              "--target=i386-pc",
              "--boot-directory=/boot",
              "--modules=part_gpt",
              disk.device()),
          Map.of(),
          null);
    }
    // grub2-install fills /boot/grub2, Debian's grub-install /boot/grub.
    String folder = installer.startsWith("grub2") ? "/boot/grub2" : "/boot/grub";
    String own = folder + "/grub.cfg";
    if (!own.equals(mainConfig)) {
      root.write(own, redirect(bootFsPath).getBytes(StandardCharsets.UTF_8), null);
    }
  }

  /**
   * A grub.cfg that reads the main one from the same filesystem; {@code $prefix} stays, so modules
   * still load from the folder the installer filled.
   */
  static String redirect(String bootFsPath) {
    return "# Written by imagecustomizer: the boot loader's configuration is "
        + bootFsPath
        + ".\nconfigfile ($root)"
        + bootFsPath
        + "\n";
  }
}
