package io.imagecustomizer.customize.steps;

import io.imagecustomizer.config.Overlay;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.image.mount.FstabEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code os.overlays}, as upstream applies them: each overlay becomes an fstab line of type overlay
 * (its lower, upper and work folders, {@code x-systemd.requires=} for each mount it depends on),
 * its folders are created, the initramfs gets the overlay driver (the initramfs step rebuilds it
 * next), and with SELinux on, the upper folder is labelled as the mount point and the work folder
 * as no_access_t. An initramfs overlay is mounted before the switch to the root filesystem, so its
 * folders are under /sysroot then and systemd's initrd mounts it.
 */
public final class OverlaysStep implements Step {
  /** Upstream's file name for the driver, so a later run over this image finds the same file. */
  static final String DRACUT_CONF = "/etc/dracut.conf.d/overlay.conf";

  static final String DRACUT_LINES = "add_drivers+=\" overlay \"\n";
  private static final String SYSROOT = "/sysroot";
  private static final Pattern SELINUX_LINE = Pattern.compile("(?m)^SELINUX=(\\S*)\\s*$");
  private static final List<String> SEMANAGE = List.of("/usr/sbin/semanage", "/sbin/semanage");

  @Override
  public String name() {
    return "overlays";
  }

  @Override
  public Set<String> applies() {
    return Set.of("os.overlays");
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return context.os().map(os -> !os.overlays().isEmpty()).orElse(false);
  }

  @Override
  public void run(CustomizeContext context) {
    ImageRoot root = context.root();
    List<Overlay> overlays = context.os().orElseThrow().overlays();
    String fstab = root.readString("/etc/fstab");
    List<FstabEntry> entries = FstabEntry.parse(fstab);
    StringBuilder lines = new StringBuilder(fstab);
    if (!fstab.isEmpty() && !fstab.endsWith("\n")) {
      lines.append('\n');
    }
    for (int i = 0; i < overlays.size(); i++) {
      Overlay overlay = overlays.get(i);
      if (Boolean.TRUE.equals(overlay.isInitrdOverlay())) {
        checkInitrdDependencies("os.overlays[" + i + "]", overlay, entries);
      }
      lines.append(fstabLine(overlay)).append('\n');
    }
    root.write(DRACUT_CONF, DRACUT_LINES.getBytes(StandardCharsets.UTF_8), null);
    root.write("/etc/fstab", lines.toString().getBytes(StandardCharsets.UTF_8), null);
    for (Overlay overlay : overlays) {
      for (String dir : List.of(overlay.mountPoint(), overlay.upperDir(), overlay.workDir())) {
        root.createDirectories(dir, ImageRoot.DEFAULT_DIR);
      }
    }
    if (selinuxOn(root)) {
      labelForSelinux(context, overlays);
    }
  }

  /**
   * The fstab line of {@code overlay}: {@code overlay MOUNTPOINT overlay
   * lowerdir=A:B,upperdir=U,workdir=W[,x-systemd.requires=D...][,initrd options][,mountOptions] 0
   * 0}, every folder under /sysroot for an initramfs overlay.
   */
  static String fstabLine(Overlay overlay) {
    boolean initrd = Boolean.TRUE.equals(overlay.isInitrdOverlay());
    List<String> options = new ArrayList<>();
    options.add(
        "lowerdir="
            + String.join(
                ":", overlay.lowerDirs().stream().map(d -> inInitrd(d, initrd)).toList()));
    options.add("upperdir=" + inInitrd(overlay.upperDir(), initrd));
    options.add("workdir=" + inInitrd(overlay.workDir(), initrd));
    overlay
        .mountDependencies()
        .forEach(d -> options.add("x-systemd.requires=" + inInitrd(d, initrd)));
    if (initrd) {
      // mounted by systemd in the initramfs, before the root filesystem is switched to
      options.add("x-initrd.mount");
      options.add("x-systemd.wanted-by=initrd-fs.target");
    }
    if (overlay.mountOptions() != null && !overlay.mountOptions().isEmpty()) {
      options.add(overlay.mountOptions());
    }
    return "overlay " + overlay.mountPoint() + " overlay " + String.join(",", options) + " 0 0";
  }

  private static String inInitrd(String path, boolean initrd) {
    return initrd ? SYSROOT + path : path;
  }

  /**
   * An initramfs overlay can only wait for mounts the initramfs makes: each of its dependencies
   * must be an fstab mount with {@code x-initrd.mount}, as upstream insists.
   */
  static void checkInitrdDependencies(String at, Overlay overlay, List<FstabEntry> fstab) {
    for (int d = 0; d < overlay.mountDependencies().size(); d++) {
      String dependency = overlay.mountDependencies().get(d);
      String field = at + ".mountDependencies[" + d + "]";
      FstabEntry entry =
          fstab.stream()
              .filter(e -> e.target().equals(dependency))
              .findFirst()
              .orElseThrow(
                  () ->
                      new ImageCustomizerException(
                          field + ": " + dependency + " is not a mount of the image's /etc/fstab",
                          "an initramfs overlay can only depend on mounts the initramfs makes"));
      if (!entry.options().contains("x-initrd.mount")) {
        throw new ImageCustomizerException(
            field
                + ": the image's /etc/fstab mounts "
                + dependency
                + " without the option x-initrd.mount",
            "the initramfs mounts only those; add x-initrd.mount to its mount options"
                + " (storage.filesystems[].mountPoint.options)");
      }
    }
  }

  /** Whether the image boots with SELinux on, as its config file says after the SELinux step. */
  static boolean selinuxOn(ImageRoot root) {
    if (!root.exists(SelinuxStep.CONFIG)) {
      return false;
    }
    Matcher mode = SELINUX_LINE.matcher(root.readString(SelinuxStep.CONFIG));
    return mode.find() && !mode.group(1).equals("disabled");
  }

  private static void labelForSelinux(CustomizeContext context, List<Overlay> overlays) {
    if (SEMANAGE.stream().noneMatch(context.root()::exists)) {
      throw new ImageCustomizerException(
          "os.overlays: the image has SELinux on but no semanage to label the overlays' folders",
          "install it with os.packages.install (policycoreutils-python-utils), or set"
              + " os.selinux.mode: disabled");
    }
    for (Overlay overlay : overlays) {
      // the upper folder holds what the mount point shows, so it gets the same labels
      context
          .shell()
          .run(
              "label overlay " + overlay.upperDir(),
              "semanage",
              "fcontext",
              "-a",
              "-e",
              overlay.mountPoint(),
              overlay.upperDir());
      // only the kernel uses the work folder
      context
          .shell()
          .run(
              "label overlay " + overlay.workDir(),
              "semanage",
              "fcontext",
              "-a",
              "-f",
              "a",
              "-t",
              "no_access_t",
              "-r",
              "s0",
              overlay.workDir() + "(/.*)?");
    }
  }
}
