package io.imagecustomizer.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Package changes ({@code os.packages}), applied in the order remove, update existing, install,
 * update. The {@code *Lists} fields name YAML files of the form {@code packages: [...]}.
 */
public record Packages(
    @Nullable Boolean updateExistingPackages,
    List<String> installLists,
    List<String> install,
    List<String> removeLists,
    List<String> remove,
    List<String> updateLists,
    List<String> update,
    @Nullable String snapshotTime,
    @Nullable Boolean removePackageManager) {
  public Packages {
    installLists = Lists.of(installLists);
    install = Lists.of(install);
    removeLists = Lists.of(removeLists);
    remove = Lists.of(remove);
    updateLists = Lists.of(updateLists);
    update = Lists.of(update);
  }
}
