package io.imagecustomizer.customize.steps;

import io.imagecustomizer.config.Storage;
import io.imagecustomizer.config.Verity;
import io.imagecustomizer.customize.BootDisk;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.image.mount.FstabEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Readies the OS for {@code storage.verity}, as upstream does: the initramfs gets dracut's
 * systemd-veritysetup module and the dm-verity driver (the initramfs step rebuilds it next), so
 * that it opens the verity devices the kernel command line names. An image that cannot do so is
 * refused here, before its hash trees are made, naming what to install. A verity device on an
 * existing partition gets its fstab line pointed at its device-mapper path.
 */
public final class VerityStep implements Step {
  /** Upstream's file name, so a later run over this image finds the same file. */
  static final String DRACUT_CONF = "/etc/dracut.conf.d/systemd-veritysetup.conf";

  static final String DRACUT_LINES =
      "add_dracutmodules+=\" systemd-veritysetup \"\nadd_drivers+=\" dm-verity \"\n";

  private static final List<String> DRACUT = List.of("/usr/bin/dracut", "/usr/sbin/dracut");
  private static final List<String> SYSTEMD = List.of("/usr/lib/systemd", "/lib/systemd");
  private static final List<String> DMSETUP = List.of("/usr/sbin/dmsetup", "/sbin/dmsetup");

  @Override
  public String name() {
    return "verity";
  }

  @Override
  public Set<String> applies() {
    // storage.verity is applied by the verity stage after the OS is customized; this step only
    // prepares the OS for it.
    return Set.of();
  }

  @Override
  public boolean perConfig() {
    return false;
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return !context.config().storage().verity().isEmpty();
  }

  @Override
  public void run(CustomizeContext context) {
    ImageRoot root = context.root();
    List<String> missing = missing(root);
    if (!missing.isEmpty()) {
      throw new ImageCustomizerException(
          "storage.verity needs an initramfs that opens dm-verity devices, but the image lacks "
              + String.join(", ", missing),
          "install them with os.packages.install: dracut; systemd (its veritysetup is in systemd,"
              + " or in a package of its own such as systemd-cryptsetup); dmsetup (device-mapper"
              + " on Azure Linux and Fedora)");
    }
    root.write(DRACUT_CONF, DRACUT_LINES.getBytes(StandardCharsets.UTF_8), null);
    BootDisk disk = context.disk();
    if (disk != null) {
      String fstab = root.readString("/etc/fstab");
      Map<String, String> sources = verityMounts(context.config().storage(), disk.image(), fstab);
      if (!sources.isEmpty()) {
        root.write(
            "/etc/fstab", withSources(fstab, sources).getBytes(StandardCharsets.UTF_8), null);
      }
    }
  }

  /**
   * The mount points of verity devices on existing partitions, each with the device-mapper path
   * fstab must name it by, as the initramfs opens it (upstream rewrites the line too); a new
   * layout's fstab names them so from the start.
   */
  private static Map<String, String> verityMounts(Storage storage, OsImage image, String fstab) {
    Map<String, String> sources = new HashMap<>();
    for (Verity verity : storage.verity()) {
      if (verity.dataDevice() == null) {
        continue;
      }
      String label = verity.dataDevice().id();
      for (FstabEntry entry : FstabEntry.parse(fstab)) {
        if (image
            .mountedAt(entry.target())
            .filter(p -> p.partition().name().equals(label))
            .isPresent()) {
          sources.put(entry.target(), "/dev/mapper/" + verity.name());
        }
      }
    }
    return sources;
  }

  /** {@code fstab} with the source of each line mounted at a key of {@code sources} replaced. */
  static String withSources(String fstab, Map<String, String> sources) {
    List<String> lines = new ArrayList<>();
    for (String line : fstab.split("\n", -1)) {
      String[] fields = line.strip().split("\\s+");
      if (!line.strip().startsWith("#") && fields.length > 1 && sources.containsKey(fields[1])) {
        fields[0] = sources.get(fields[1]);
        lines.add(String.join(" ", fields));
      } else {
        lines.add(line);
      }
    }
    return String.join("\n", lines);
  }

  static List<String> missing(ImageRoot root) {
    List<String> missing = new ArrayList<>();
    if (DRACUT.stream().noneMatch(root::exists)) {
      missing.add("dracut");
    } else if (!hasDracutModule(root)) {
      missing.add("dracut's systemd-veritysetup module");
    }
    for (String program :
        List.of("systemd-veritysetup", "system-generators/systemd-veritysetup-generator")) {
      if (SYSTEMD.stream().noneMatch(dir -> root.exists(dir + "/" + program))) {
        missing.add(Path.of(program).getFileName().toString());
      }
    }
    if (DMSETUP.stream().noneMatch(root::exists)) {
      missing.add("dmsetup");
    }
    return missing;
  }

  /** dracut numbers its module folders ({@code 01systemd-veritysetup}). */
  private static boolean hasDracutModule(ImageRoot root) {
    Path modules = root.resolve("/usr/lib/dracut/modules.d");
    if (!Files.isDirectory(modules)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(modules)) {
      return entries.anyMatch(
          p ->
              p.getFileName().toString().replaceFirst("^[0-9]+", "").equals("systemd-veritysetup"));
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot list the image's dracut modules", e);
    }
  }
}
