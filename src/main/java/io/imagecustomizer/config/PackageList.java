package io.imagecustomizer.config;

import java.util.List;

/** The content of a package list file named by {@code os.packages.installLists} and friends. */
public record PackageList(List<String> packages) {
  public PackageList {
    packages = Lists.of(packages);
  }
}
