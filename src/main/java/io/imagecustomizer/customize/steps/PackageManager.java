package io.imagecustomizer.customize.steps;

import io.imagecustomizer.error.ImageCustomizerException;
import java.util.List;

/**
 * The image's own package manager, chosen from its distribution, with what {@code
 * os.packages.removePackageManager} takes away: its packages and its databases and caches.
 */
enum PackageManager {
  /**
   * dpkg stays: Debian and Ubuntu cannot boot without it (upstream keeps it on Ubuntu for the same
   * reason), and so does its database.
   */
  APT("apt-get", List.of("apt", "apt-utils"), List.of("/var/lib/apt", "/var/cache/apt")),
  TDNF(
      "tdnf",
      List.of("tdnf", "dnf", "rpm"),
      List.of(
          "/var/lib/rpm",
          "/var/lib/dnf",
          "/usr/lib/sysimage/tdnf",
          "/var/cache/tdnf",
          "/var/cache/dnf")),
  /** dnf 4 is still "dnf" where dnf 5 is not yet the default. */
  DNF(
      "dnf",
      List.of("dnf5", "dnf", "rpm"),
      List.of(
          "/var/lib/rpm",
          "/var/lib/dnf",
          "/usr/lib/sysimage/libdnf5",
          "/usr/lib/sysimage/rpm",
          "/var/cache/dnf",
          "/var/cache/libdnf5",
          "/var/cache/dnf5daemon-server"));

  final String tool;
  final List<String> ownPackages;
  final List<String> ownFiles;

  PackageManager(String tool, List<String> ownPackages, List<String> ownFiles) {
    this.tool = tool;
    this.ownPackages = ownPackages;
    this.ownFiles = ownFiles;
  }

  /**
   * @param field the config field that needs a package manager, for the error
   */
  static PackageManager of(Distro distro, String field) {
    if (distro.is("debian") || distro.is("ubuntu")) {
      return APT;
    }
    if (distro.is("azurelinux") || distro.is("mariner")) {
      return TDNF;
    }
    if (distro.is("fedora") || distro.is("rhel")) {
      return DNF;
    }
    throw new ImageCustomizerException(
        field + ": no known package manager for the image's distribution '" + distro.id() + "'",
        "supported: Debian, Ubuntu (apt-get), Azure Linux, Mariner (tdnf), Fedora (dnf)");
  }
}
