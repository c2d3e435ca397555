package io.imagecustomizer.customize.steps;

import io.imagecustomizer.config.Os;
import io.imagecustomizer.config.Packages;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import io.imagecustomizer.image.ImageRoot;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code os.packages.removePackageManager}: after the postCustomization scripts (so they can still
 * install or mark packages), the package manager's packages go, with the dependencies nothing else
 * needs, and then its databases and caches. As upstream, a package the user wants to keep must be
 * marked as manually installed in a postCustomization script.
 */
public final class PackageManagerRemovalStep implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(PackageManagerRemovalStep.class);
  private static final String FIELD = "os.packages.removePackageManager";

  @Override
  public String name() {
    return "remove package manager";
  }

  @Override
  public Set<String> applies() {
    return Set.of(FIELD);
  }

  @Override
  public boolean perConfig() {
    return false;
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return context.os().map(Os::packages).map(Packages::removePackageManager).orElse(false);
  }

  @Override
  public void run(CustomizeContext context) {
    ImageRoot root = context.root();
    PackageManager manager = PackageManager.of(Distro.of(root), FIELD);
    List<String> installed = installed(context, manager);
    LOG.info("Removing the package manager: {}", installed.isEmpty() ? "no packages" : installed);
    if (!installed.isEmpty()) {
      if (manager == PackageManager.APT) {
        PackagesStep.withServicesHeld(
            root,
            () ->
                PackagesStep.apt(
                    context,
                    "remove the package manager",
                    PackagesStep.concat(
                        List.of(
                            "apt-get",
                            "-y",
                            "-o",
                            "Dpkg::Options::=--force-confdef",
                            "-o",
                            "Dpkg::Options::=--force-confold",
                            "remove",
                            "--auto-remove",
                            "--allow-remove-essential",
                            "--"),
                        installed)));
      } else {
        // No repository is needed to remove, and the protected list would keep the tool itself.
        context
            .shell()
            .run(
                "remove the package manager",
                PackagesStep.concat(
                    List.of(
                        manager.tool,
                        "-y",
                        "--disablerepo=*",
                        "--setopt=protected_packages=",
                        "remove"),
                    installed),
                Map.of(),
                null);
      }
    }
    manager.ownFiles.forEach(root::deleteTree);
  }

  /** Which of the manager's own packages the image has, asked of its package database. */
  private static List<String> installed(CustomizeContext context, PackageManager manager) {
    String names = String.join(" ", manager.ownPackages);
    // Both tools exit non-zero when a name is not installed; only the names that are count.
    String query =
        manager == PackageManager.APT
            ? "dpkg-query -W -f='${Package} ${db:Status-Status}\\n' "
                + names
                + " 2>/dev/null | sed -n 's/ installed$//p'"
            : "rpm -q --qf '%{NAME}\\n' " + names + " 2>/dev/null | grep -v ' ' || true";
    String out = context.shell().run("list the package manager's packages", "sh", "-c", query);
    return out.lines().filter(manager.ownPackages::contains).toList();
  }
}
