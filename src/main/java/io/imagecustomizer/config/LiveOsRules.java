package io.imagecustomizer.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The rules of the Live OS media, {@code iso} and {@code pxe}, and what they need of the OS. */
final class LiveOsRules {
  private static final List<String> URL_SCHEMES = List.of("ftp", "http", "https", "nfs", "tftp");

  private final Checks checks;
  private final Problems problems;
  private final Config config;

  LiveOsRules(Checks checks) {
    this.checks = checks;
    this.problems = checks.problems();
    this.config = checks.config();
  }

  void check() {
    if (config.iso() != null) {
      iso(config.iso());
    }
    if (config.pxe() != null) {
      pxe(config.pxe());
    }
    selinux();
  }

  private void iso(Iso iso) {
    checks.kernelArgs("iso.kernelCommandLine.extraCommandLine", iso.extraCommandLine());
    checks.additionalFiles("iso.additionalFiles", iso.additionalFiles(), false);
    if (iso.kdumpBootFiles() != null) {
      checks.needsPreview("iso.kdumpBootFiles", PreviewFeature.KDUMP_BOOT_FILES);
    }
  }

  private void pxe(Pxe pxe) {
    checks.kernelArgs("pxe.kernelCommandLine.extraCommandLine", pxe.extraCommandLine());
    checks.additionalFiles("pxe.additionalFiles", pxe.additionalFiles(), false);
    if (pxe.kdumpBootFiles() != null) {
      checks.needsPreview("pxe.kdumpBootFiles", PreviewFeature.KDUMP_BOOT_FILES);
    }
    if (pxe.bootstrapBaseUrl() != null && pxe.bootstrapFileUrl() != null) {
      problems.add(
          "pxe.bootstrapFileUrl",
          "cannot specify both 'bootstrapBaseUrl' and 'bootstrapFileUrl'",
          "bootstrapBaseUrl is a folder the tool adds image.iso to; bootstrapFileUrl is the full URL");
    }
    if (pxe.initramfsType() == InitramfsType.FULL_OS) {
      for (String field : List.of("bootstrapBaseUrl", "bootstrapFileUrl")) {
        String url =
            field.equals("bootstrapBaseUrl") ? pxe.bootstrapBaseUrl() : pxe.bootstrapFileUrl();
        if (url != null) {
          problems.add(
              "pxe." + field,
              "cannot be used with initramfsType full-os",
              "full-os puts the whole OS in the initrd, so nothing is downloaded; use"
                  + " initramfsType: bootstrap");
        }
      }
    }
    url("pxe.bootstrapBaseUrl", pxe.bootstrapBaseUrl());
    url("pxe.bootstrapFileUrl", pxe.bootstrapFileUrl());
  }

  private void url(String at, @Nullable String url) {
    if (url == null) {
      return;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!URL_SCHEMES.contains(scheme)) {
        problems.add(
            at,
            "unsupported URL scheme in \"" + url + "\"",
            "use one of " + String.join(", ", URL_SCHEMES.stream().map(s -> s + "://").toList()));
      }
    } catch (URISyntaxException e) {
      problems.add(at, "not a valid URL: " + e.getReason());
    }
  }

  /** A full-os initrd is a CPIO archive, which cannot carry SELinux labels. */
  private void selinux() {
    boolean fullOs =
        (config.iso() != null && config.iso().initramfsType() == InitramfsType.FULL_OS)
            || (config.pxe() != null && config.pxe().initramfsType() == InitramfsType.FULL_OS);
    Os os = config.os();
    if (fullOs
        && os != null
        && os.selinuxMode() != null
        && os.selinuxMode() != Os.SelinuxMode.DISABLED) {
      problems.add(
          "os.selinux.mode",
          "SELinux is not supported with initramfsType full-os",
          "set os.selinux.mode to disabled, or use initramfsType: bootstrap");
    }
  }
}
