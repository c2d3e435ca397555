package io.imagecustomizer.customize.steps;

import io.imagecustomizer.chroot.ImageShell;
import io.imagecustomizer.config.ConfigLoader;
import io.imagecustomizer.config.Packages;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.RpmSources;
import io.imagecustomizer.customize.Step;
import io.imagecustomizer.image.ImageRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code os.packages}, in upstream's order: remove, update existing, install, update. Uses the
 * image's own package manager: apt-get on Debian and Ubuntu, tdnf on Azure Linux and Mariner, dnf
 * on Fedora. Services are kept from starting inside the chroot while packages install.
 */
public final class PackagesStep implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(PackagesStep.class);
  private static final String POLICY_RC = "/usr/sbin/policy-rc.d";
  private static final Map<String, String> APT_ENV =
      Map.of("DEBIAN_FRONTEND", "noninteractive", "APT_LISTCHANGES_FRONTEND", "none");

  @Override
  public String name() {
    return "packages";
  }

  @Override
  public Set<String> applies() {
    return Set.of(
        "os.packages.updateExistingPackages",
        "os.packages.installLists",
        "os.packages.install",
        "os.packages.removeLists",
        "os.packages.remove",
        "os.packages.updateLists",
        "os.packages.update",
        "os.packages.snapshotTime");
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return context.os().map(os -> os.packages() != null).orElse(false);
  }

  @Override
  public void run(CustomizeContext context) {
    Packages packages = context.os().orElseThrow().packages();
    List<String> remove = withLists(context, packages.remove(), packages.removeLists());
    List<String> install = withLists(context, packages.install(), packages.installLists());
    List<String> update = withLists(context, packages.update(), packages.updateLists());
    boolean updateAll = Boolean.TRUE.equals(packages.updateExistingPackages());
    if (remove.isEmpty() && install.isEmpty() && update.isEmpty() && !updateAll) {
      return;
    }
    PackageManager manager = PackageManager.of(Distro.of(context.root()), "os.packages");
    boolean fetches = updateAll || !install.isEmpty() || !update.isEmpty();
    PackageSnapshot snapshot =
        fetches ? PackageSnapshot.of(context, packages, manager) : PackageSnapshot.NONE;
    try {
      if (manager == PackageManager.APT) {
        if (!context.rpmSources().isEmpty()) {
          LOG.warn(
              "--rpm-source is for RPM-based images; this image uses apt-get and its own sources");
        }
        withServicesHeld(
            context.root(),
            () -> apt(context, snapshot.options(), remove, updateAll, install, update));
      } else {
        rpm(context, manager.tool, snapshot.options(), remove, updateAll, install, update);
      }
    } finally {
      snapshot.close();
    }
  }

  /**
   * Runs {@code work} with a policy-rc.d that keeps Debian's maintainer scripts from starting
   * services inside the chroot, unless the image has its own.
   */
  static void withServicesHeld(ImageRoot root, Runnable work) {
    boolean ownPolicy = !root.exists(POLICY_RC);
    if (ownPolicy) {
      root.write(
          POLICY_RC,
          "#!/bin/sh\n# written by imagecustomizer while it changes packages\nexit 101\n"
              .getBytes(StandardCharsets.UTF_8),
          PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    try {
      work.run();
    } finally {
      if (ownPolicy) {
        root.delete(POLICY_RC);
      }
    }
  }

  private static void apt(
      CustomizeContext context,
      List<String> snapshot,
      List<String> remove,
      boolean updateAll,
      List<String> install,
      List<String> update) {
    if (!remove.isEmpty()) {
      apt(context, "remove packages", concat(List.of("apt-get", "-y", "purge"), remove));
    }
    if (updateAll || !install.isEmpty() || !update.isEmpty()) {
      apt(context, "refresh the package lists", aptGet(snapshot, "update"));
    }
    if (updateAll) {
      apt(context, "update the existing packages", aptGet(snapshot, "-y", "upgrade"));
    }
    if (!install.isEmpty()) {
      apt(
          context,
          "install packages",
          concat(aptGet(snapshot, "-y", "--no-install-recommends", "install"), install));
    }
    if (!update.isEmpty()) {
      apt(
          context,
          "update packages",
          concat(aptGet(snapshot, "-y", "--only-upgrade", "install"), update));
    }
    apt(context, "clean the package cache", List.of("apt-get", "clean"));
  }

  private static List<String> aptGet(List<String> options, String... args) {
    return concat(concat(List.of("apt-get"), options), List.of(args));
  }

  static void apt(CustomizeContext context, String what, List<String> argv) {
    context.shell().run(what, argv, APT_ENV, null);
  }

  private static void rpm(
      CustomizeContext context,
      String tool,
      List<String> snapshot,
      List<String> remove,
      boolean updateAll,
      List<String> install,
      List<String> update) {
    ImageShell shell = context.shell();
    if (!remove.isEmpty()) {
      // Removing needs no repo, and must not fail on one that cannot be reached.
      shell.run(
          "remove packages",
          concat(List.of(tool, "-y", "--disablerepo=*", "remove"), remove),
          Map.of(),
          null);
    }
    if (!updateAll && install.isEmpty() && update.isEmpty()) {
      return;
    }
    try (RpmSources.Opened repos = context.rpmSources().open(context.root(), shell)) {
      List<String> withRepos = concat(concat(List.of(tool, "-y"), snapshot), repos.options());
      if (updateAll) {
        shell.run(
            "update the existing packages", concat(withRepos, List.of("update")), Map.of(), null);
      }
      if (!install.isEmpty()) {
        shell.run(
            "install packages",
            concat(concat(withRepos, List.of("install")), install),
            Map.of(),
            null);
      }
      if (!update.isEmpty()) {
        shell.run(
            "update packages",
            concat(concat(withRepos, List.of("update")), update),
            Map.of(),
            null);
      }
      shell.run(
          "clean the package cache", concat(withRepos, List.of("clean", "all")), Map.of(), null);
    }
  }

  private static List<String> withLists(
      CustomizeContext context, List<String> names, List<String> listFiles) {
    List<String> all = new ArrayList<>(names);
    for (String file : listFiles) {
      all.addAll(ConfigLoader.loadPackageList(context.configPath(file)).packages());
    }
    return all;
  }

  static List<String> concat(List<String> head, List<String> tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(tail);
    return all;
  }
}
