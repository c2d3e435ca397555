package io.imagecustomizer.customize.steps;

import io.imagecustomizer.boot.GrubConfig;
import io.imagecustomizer.boot.Kernels;
import io.imagecustomizer.boot.MainGrubConfig;
import io.imagecustomizer.boot.Ukis;
import io.imagecustomizer.boot.Ukis.KernelFiles;
import io.imagecustomizer.config.Os;
import io.imagecustomizer.config.Os.UkiMode;
import io.imagecustomizer.customize.BootDisk;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.resource.TempDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code os.uki}, once the OS is customized (upstream's step 19). {@code create}: a UKI per kernel
 * from the image's systemd stub, kernel, initramfs and os-release, its command line (grub's for
 * that kernel, with the run's kernel arguments, else the old UKI's) in an addon beside it;
 * systemd-boot installed as the ESP's loader; the kernels leave /boot, the UKIs hold them now.
 * {@code modify}: the run's kernel arguments added to each addon's command line. {@code
 * passthrough}: the UKIs stay as they are. Both of the latter refuse a run that put a kernel in
 * /boot, which their UKIs would never boot.
 */
public final class UkiStep implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(UkiStep.class);

  @Override
  public String name() {
    return "UKIs";
  }

  @Override
  public Set<String> applies() {
    return Set.of("os.uki");
  }

  @Override
  public boolean perConfig() {
    return false;
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return UkiInputStep.mode(context).isPresent();
  }

  @Override
  public void run(CustomizeContext context) {
    UkiMode mode = UkiInputStep.mode(context).orElseThrow();
    BootDisk disk = context.disk();
    if (disk == null) {
      throw new ImageCustomizerException("internal error: os.uki on an OS without its disk");
    }
    FatImage esp =
        disk.esp()
            .orElseThrow(
                () -> new ImageCustomizerException("internal error: os.uki on a disk without ESP"));
    ImageRoot root = context.root();
    if (mode != UkiMode.CREATE) {
      requireNoBootKernels(root, mode);
    }
    try (TempDir work = TempDir.create(disk.buildDir(), "uki")) {
      if (mode == UkiMode.CREATE) {
        create(root, esp, work.path());
      } else if (mode == UkiMode.MODIFY) {
        modify(root, esp, context.os().map(Os::extraCommandLine).orElse(List.of()), work.path());
      } else {
        LOG.info("UKIs passed through unchanged");
      }
    }
  }

  private static void create(ImageRoot root, FatImage esp, Path work) {
    Path stub = required(root, Ukis.STUB);
    Optional<Path> addonStub =
        Optional.of(root.resolve(Ukis.ADDON_STUB)).filter(Files::isRegularFile);
    Path systemdBoot = required(root, Ukis.SYSTEMD_BOOT);
    List<String> files = esp.list();
    Map<String, String> old = Ukis.on(files);
    Map<String, String> commandLines = commandLines(root, esp, files, old, work);
    if (addonStub.isEmpty()) {
      LOG.warn(
          "The image has no {} (systemd older than 254): the command line goes into each UKI, and"
              + " os.uki.mode 'modify' will not work on the output",
          Ukis.ADDON_STUB);
    }
    Map<String, Path> built = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : commandLines.entrySet()) {
      String version = entry.getKey();
      LOG.info("Building the UKI of kernel {}: {}", version, entry.getValue());
      Path uki = work.resolve(version + ".efi");
      Ukis.writeUki(
          root,
          stub,
          KernelFiles.of(root, version),
          addonStub.isPresent() ? Optional.empty() : Optional.of(entry.getValue()),
          work,
          uki);
      built.put(Ukis.path(version), uki);
      if (addonStub.isPresent()) {
        Path addon = work.resolve(version + ".addon.efi");
        Ukis.writeAddon(addonStub.get(), entry.getValue(), work, addon);
        built.put(Ukis.addonPath(version), addon);
      }
    }
    // The old UKIs go first: an ESP seldom has room for two sets.
    for (Map.Entry<String, String> entry : old.entrySet()) {
      String folder = Ukis.addonFolder(entry.getKey());
      if (FatImage.find(files, folder + "/").isPresent()) {
        esp.deleteTree(folder);
      }
      esp.delete(entry.getValue());
    }
    List<String> left = esp.list();
    List<String> folders = new ArrayList<>();
    for (String path : built.keySet()) {
      for (String folder = parent(path); !folder.isEmpty(); folder = parent(folder)) {
        if (FatImage.find(left, folder + "/").isEmpty() && !folders.contains(folder)) {
          folders.add(folder);
        }
      }
    }
    folders.sort(null); // a parent before its children
    if (!folders.isEmpty()) {
      esp.mkdirs(folders.toArray(String[]::new));
    }
    built.forEach((path, file) -> esp.replace(file, path));
    installSystemdBoot(esp, left, systemdBoot);
    for (String version : commandLines.keySet()) {
      root.delete("/boot/" + Kernels.fileName(version));
      KernelFiles.initramfsNames(version).forEach(root::delete);
    }
  }

  /**
   * Each kernel's command line: grub's {@code linux} line for it (where the run's kernel arguments
   * went), else its old UKI's, else, for a kernel this run installed, the one the other kernels
   * share (upstream's rule; kernels that disagree leave no answer).
   */
  private static Map<String, String> commandLines(
      ImageRoot root, FatImage esp, List<String> files, Map<String, String> old, Path work) {
    Map<String, List<String>> grub = grubArgs(root);
    Map<String, String> found = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String version : Kernels.installed(root)) {
      List<String> args = grub.get(Kernels.fileName(version));
      Optional<String> line =
          args != null
              ? Optional.of(String.join(" ", Ukis.fromGrub(args)))
              : oldCommandLine(esp, files, old, version, work);
      if (line.isPresent()) {
        found.put(version, line.get());
      } else {
        missing.add(version);
      }
    }
    if (!missing.isEmpty()) {
      Set<String> shared = new HashSet<>(found.values());
      if (shared.size() != 1) {
        throw new ImageCustomizerException(
            "cannot tell the kernel command line of kernel "
                + String.join(", ", missing)
                + ": neither grub.cfg nor a UKI gives it"
                + (shared.isEmpty() ? "" : ", and the other kernels' differ"),
            "give it a grub.cfg entry, or keep one command line for every kernel");
      }
      String line = shared.iterator().next();
      missing.forEach(version -> found.put(version, line));
    }
    Map<String, String> sorted = new LinkedHashMap<>();
    found.keySet().stream().sorted().forEach(v -> sorted.put(v, found.get(v)));
    return sorted;
  }

  /** grub.cfg's kernel arguments by kernel file name; none when the image has no grub.cfg. */
  private static Map<String, List<String>> grubArgs(ImageRoot root) {
    Optional<String> path = MainGrubConfig.LOCATIONS.stream().filter(root::exists).findFirst();
    Map<String, List<String>> byName = new LinkedHashMap<>();
    path.map(p -> GrubConfig.parse(root.readString(p)).kernelArgsByKernel())
        .orElse(Map.of())
        .forEach(
            (kernel, args) ->
                byName.putIfAbsent(kernel.substring(kernel.lastIndexOf('/') + 1), args));
    return byName;
  }

  /** The command line of the old UKI of {@code version}: its own, then its addon's. */
  private static Optional<String> oldCommandLine(
      FatImage esp, List<String> files, Map<String, String> old, String version, Path work) {
    String uki = old.get(version);
    if (uki == null) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    Path copy = work.resolve("old.efi");
    esp.copyOut(uki, copy);
    Ukis.commandLine(copy).ifPresent(parts::add);
    Optional<String> addon = Ukis.addonOn(files, version);
    if (addon.isPresent()) {
      esp.copyOut(addon.get(), copy);
      Ukis.commandLine(copy).ifPresent(parts::add);
    }
    return Optional.of(String.join(" ", parts).strip());
  }

  /** The run's kernel arguments added to each addon's command line (those it lacks). */
  private static void modify(ImageRoot root, FatImage esp, List<String> extra, Path work) {
    Path addonStub = required(root, Ukis.ADDON_STUB);
    Ukis.editAddons(
        esp,
        esp.list(),
        Optional.of(addonStub),
        "the kernel arguments " + extra,
        line -> withArgs(line, extra),
        work);
  }

  /** {@code line} with the arguments of {@code extra} it lacks at its end. */
  private static String withArgs(String line, List<String> extra) {
    List<String> args = new ArrayList<>(line.isEmpty() ? List.of() : List.of(line.split("\\s+")));
    List<String> added = extra.stream().filter(a -> !args.contains(a)).distinct().toList();
    if (added.isEmpty()) {
      return line; // as it was, spacing and all: the addon stays untouched
    }
    args.addAll(added);
    return String.join(" ", args);
  }

  /**
   * systemd-boot where {@code bootctl install} puts it and at the firmware's default path, which
   * until now started the image's shim: the UKIs are booted by systemd-boot, and under Secure Boot
   * it and the UKIs are what the firmware's keys must sign.
   */
  private static void installSystemdBoot(FatImage esp, List<String> files, Path systemdBoot) {
    List<String> folders = new ArrayList<>();
    for (String folder : List.of("/EFI", "/EFI/systemd", "/EFI/BOOT")) {
      if (FatImage.find(files, folder + "/").isEmpty()) {
        folders.add(folder);
      }
    }
    if (!folders.isEmpty()) {
      esp.mkdirs(folders.toArray(String[]::new));
    }
    esp.replace(systemdBoot, Ukis.SYSTEMD_BOOT_ON_ESP);
    String loader = FatImage.find(files, Ukis.DEFAULT_LOADER).orElse(Ukis.DEFAULT_LOADER);
    esp.replace(systemdBoot, loader);
  }

  private static void requireNoBootKernels(ImageRoot root, UkiMode mode) {
    List<String> kernels;
    try (Stream<Path> boot = Files.list(root.resolve("/boot"))) {
      kernels =
          boot.map(p -> p.getFileName().toString())
              .filter(
                  n ->
                      n.startsWith("vmlinuz-")
                          || n.startsWith("initramfs-")
                          || n.startsWith("initrd.img-"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot list the image's /boot", e);
    }
    if (!kernels.isEmpty()) {
      throw new ImageCustomizerException(
          "os.uki.mode '"
              + mode.name().toLowerCase(Locale.ROOT)
              + "' keeps the image's UKIs, but /boot now holds "
              + String.join(", ", kernels)
              + " (a kernel package was installed or updated?), which they would never boot",
          "use mode 'create' to build UKIs from the kernels in /boot");
    }
  }

  private static Path required(ImageRoot root, String path) {
    Path file = root.resolve(path);
    if (!Files.isRegularFile(file)) {
      throw new ImageCustomizerException(
          "os.uki: the image has no " + path,
          "install systemd-boot's EFI binaries in the image (os.packages.install: systemd-boot on"
              + " Azure Linux and Fedora, systemd-boot-efi on Debian and Ubuntu)");
    }
    return file;
  }

  private static String parent(String path) {
    return path.substring(0, Math.max(0, path.lastIndexOf('/')));
  }
}
