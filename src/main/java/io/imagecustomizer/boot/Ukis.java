package io.imagecustomizer.boot;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.format.pe.PeImage;
import io.imagecustomizer.format.pe.PeImage.Addition;
import io.imagecustomizer.image.ImageRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unified kernel images as systemd-boot finds them on an ESP: {@code
 * /EFI/Linux/vmlinuz-<version>.efi} (systemd's EFI stub with the kernel, its initramfs and the OS's
 * os-release as sections), and the kernel command line in an addon beside it, {@code
 * vmlinuz-<version>.efi.extra.d/vmlinuz-<version> .addon.efi}, as upstream lays them out: a command
 * line can change without touching the signed kernel.
 */
public final class Ukis {
  private static final Logger LOG = LoggerFactory.getLogger(Ukis.class);

  /** Where systemd-boot looks for UKIs, on the ESP. */
  public static final String FOLDER = "/EFI/Linux";

  /** systemd's UKI stub, in the image (Debian's systemd-boot-efi, Azure Linux's systemd-boot). */
  public static final String STUB = "/usr/lib/systemd/boot/efi/linuxx64.efi.stub";

  /** systemd's addon stub (systemd 254 and later; older stubs cannot load addons). */
  public static final String ADDON_STUB = "/usr/lib/systemd/boot/efi/addonx64.efi.stub";

  /** systemd-boot itself, in the image. */
  public static final String SYSTEMD_BOOT = "/usr/lib/systemd/boot/efi/systemd-bootx64.efi";

  /** Where {@code bootctl install} puts systemd-boot on the ESP. */
  public static final String SYSTEMD_BOOT_ON_ESP = "/EFI/systemd/systemd-bootx64.efi";

  /** The removable-media loader path UEFI firmware starts without a boot entry. */
  public static final String DEFAULT_LOADER = "/EFI/BOOT/bootx64.efi";

  private static final Pattern UKI = Pattern.compile("(?i)^/EFI/Linux/vmlinuz-([^/]+)\\.efi$");

  private Ukis() {}

  /** The ESP path of the UKI of kernel {@code version}. */
  public static String path(String version) {
    return FOLDER + "/vmlinuz-" + version + ".efi";
  }

  /** The folder of the UKI's addons. */
  public static String addonFolder(String version) {
    return path(version) + ".extra.d";
  }

  /** The ESP path of the addon holding the UKI's command line. */
  public static String addonPath(String version) {
    return addonFolder(version) + "/vmlinuz-" + version + ".addon.efi";
  }

  /**
   * The UKIs among an ESP's files ({@link FatImage#list()}), as their path by kernel version, in
   * listing order.
   */
  public static Map<String, String> on(List<String> espFiles) {
    Map<String, String> found = new LinkedHashMap<>();
    for (String file : espFiles) {
      Matcher uki = UKI.matcher(file);
      if (uki.matches()) {
        found.put(uki.group(1), file);
      }
    }
    return found;
  }

  /** The ESP path of the addon of kernel {@code version}'s UKI, when the ESP has it. */
  public static Optional<String> addonOn(List<String> espFiles, String version) {
    return FatImage.find(espFiles, addonPath(version));
  }

  /** The command line a UKI or addon carries in its {@code .cmdline} section, if any. */
  public static Optional<String> commandLine(Path efi) {
    return PeImage.section(efi, ".cmdline")
        .map(data -> StandardCharsets.UTF_8.decode(data).toString())
        .map(text -> text.replace("\0", "").strip());
  }

  /**
   * The kernel arguments a UKI should carry from a grub {@code linux} line's: grub's own {@code
   * BOOT_IMAGE} and anything that reads a grub variable mean nothing without grub.
   */
  public static List<String> fromGrub(List<String> grubArgs) {
    List<String> args = new ArrayList<>();
    for (String arg : grubArgs) {
      if (!arg.startsWith("BOOT_IMAGE=") && !arg.contains("$")) {
        args.add(arg);
      }
    }
    return args;
  }

  /**
   * The kernel and initramfs of {@code version} in the image's /boot, Azure Linux or Debian names.
   */
  public record KernelFiles(String version, String kernel, String initramfs) {
    /**
     * The initramfs names of {@code version}: Azure Linux's, then Debian's (an image may have
     * both).
     */
    public static List<String> initramfsNames(String version) {
      return List.of("/boot/initramfs-" + version + ".img", "/boot/initrd.img-" + version);
    }

    public static KernelFiles of(ImageRoot root, String version) {
      String kernel = "/boot/" + Kernels.fileName(version);
      return initramfsNames(version).stream()
          .filter(root::exists)
          .findFirst()
          .map(initramfs -> new KernelFiles(version, kernel, initramfs))
          .orElseThrow(
              () ->
                  new ImageCustomizerException(
                      "kernel "
                          + version
                          + " has no initramfs (/boot/initramfs-"
                          + version
                          + ".img or /boot/initrd.img-"
                          + version
                          + ")",
                      "a UKI holds the kernel's initramfs; make sure dracut builds one"));
    }
  }

  /**
   * Writes the UKI of one kernel to {@code out}: the stub with os-release, the kernel version, the
   * initramfs and the kernel as sections (the kernel last, as ukify puts it), and {@code
   * commandLine} in it when the stub cannot load addons.
   */
  public static void writeUki(
      ImageRoot root,
      Path stub,
      KernelFiles kernel,
      Optional<String> commandLine,
      Path work,
      Path out) {
    try {
      List<Addition> sections = new ArrayList<>();
      sections.add(new Addition(".osrel", osRelease(root)));
      if (commandLine.isPresent()) {
        sections.add(new Addition(".cmdline", text(work.resolve("cmdline"), commandLine.get())));
      }
      sections.add(new Addition(".uname", text(work.resolve("uname"), kernel.version())));
      sections.add(new Addition(".initrd", root.resolve(kernel.initramfs())));
      sections.add(new Addition(".linux", root.resolve(kernel.kernel())));
      PeImage.withSections(stub, sections, out);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot build the UKI of kernel " + kernel.version(), e);
    }
  }

  /** Writes an addon to {@code out}: the addon stub with {@code commandLine} as its section. */
  public static void writeAddon(Path addonStub, String commandLine, Path work, Path out) {
    try {
      PeImage.withSections(
          addonStub,
          List.of(new Addition(".cmdline", text(work.resolve("addon-cmdline"), commandLine))),
          out);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot build a UKI addon", e);
    }
  }

  /** Writes to {@code out} the addon {@code addon} with {@code commandLine} in place of its own. */
  public static void rewriteAddon(Path addon, String commandLine, Path work, Path out) {
    try {
      PeImage.withLastSectionReplaced(
          addon, ".cmdline", text(work.resolve("addon-cmdline"), commandLine), out);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot rebuild the UKI addon " + addon, e);
    }
  }

  /**
   * Gives the addon of each UKI on {@code esp} the command line {@code edit} makes of its own: an
   * addon built anew from {@code addonStub} when given, else the addon with only its {@code
   * .cmdline} replaced. An addon whose line {@code edit} returns unchanged is left as it is.
   *
   * @param espFiles the ESP's listing
   * @param what what {@code edit} adds, for the log and for the error on a UKI without an addon
   */
  public static void editAddons(
      FatImage esp,
      List<String> espFiles,
      Optional<Path> addonStub,
      String what,
      UnaryOperator<String> edit,
      Path work) {
    Path current = work.resolve("current.addon.efi");
    Path rebuilt = work.resolve("rebuilt.addon.efi");
    for (Map.Entry<String, String> uki : on(espFiles).entrySet()) {
      String addon =
          addonOn(espFiles, uki.getKey())
              .orElseThrow(
                  () ->
                      new ImageCustomizerException(
                          uki.getValue()
                              + " carries its kernel command line inside, where "
                              + what
                              + " cannot be added",
                          "rebuild the UKIs with os.uki.mode create from an image with systemd"
                              + " 254 or later (its addon stub)"));
      esp.copyOut(addon, current);
      String line = commandLine(current).orElse("");
      String edited = edit.apply(line);
      if (edited.equals(line)) {
        LOG.info("{} already carries {}", addon, what);
        continue;
      }
      if (addonStub.isPresent()) {
        writeAddon(addonStub.get(), edited, work, rebuilt);
      } else {
        rewriteAddon(current, edited, work, rebuilt);
      }
      esp.replace(rebuilt, addon);
      LOG.info("Added {} to {}", what, addon);
    }
  }

  private static Path osRelease(ImageRoot root) {
    return List.of("/etc/os-release", "/usr/lib/os-release").stream()
        .map(root::resolve)
        .filter(Files::isRegularFile)
        .findFirst()
        .orElseThrow(
            () ->
                new ImageCustomizerException(
                    "the image has no /etc/os-release or /usr/lib/os-release",
                    "systemd-boot names a UKI's menu entry from its os-release"));
  }

  private static Path text(Path file, String content) throws IOException {
    return Files.writeString(file, content);
  }
}
