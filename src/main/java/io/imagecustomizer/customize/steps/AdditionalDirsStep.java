package io.imagecustomizer.customize.steps;

import io.imagecustomizer.config.DirConfig;
import io.imagecustomizer.config.FileMode;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code os.additionalDirs}: a host folder tree copied into the image. New folders get {@code
 * newDirPermissions} (0755), folders that already exist get {@code mergedDirPermissions} if given,
 * files get {@code childFilePermissions} (0755). Symlinks in the source are refused: their target
 * would mean something else inside the image.
 */
public final class AdditionalDirsStep implements Step {
  @Override
  public String name() {
    return "additional directories";
  }

  @Override
  public Set<String> applies() {
    return Set.of("os.additionalDirs");
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return context.os().map(os -> !os.additionalDirs().isEmpty()).orElse(false);
  }

  @Override
  public void run(CustomizeContext context) {
    for (DirConfig dir : context.os().orElseThrow().additionalDirs()) {
      copyTree(context.root(), context.configPath(dir.source()), dir);
    }
  }

  private static void copyTree(ImageRoot root, Path source, DirConfig dir) {
    Set<PosixFilePermission> newDirs = FileMode.permissionsOf(dir.newDirPermissions(), "755");
    Set<PosixFilePermission> merged = FileMode.permissionsOf(dir.mergedDirPermissions(), null);
    Set<PosixFilePermission> files = FileMode.permissionsOf(dir.childFilePermissions(), "755");
    List<Path> entries;
    try (Stream<Path> walk = Files.walk(source)) {
      entries = walk.sorted().toList();
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + source + " for os.additionalDirs", e);
    }
    for (Path entry : entries) {
      String relative = source.relativize(entry).toString();
      String target = relative.isEmpty() ? dir.destination() : dir.destination() + "/" + relative;
      if (Files.isSymbolicLink(entry)) {
        throw new ImageCustomizerException(
            "os.additionalDirs: " + entry + " is a symlink",
            "replace it with the file it points to, or create the link with a script");
      }
      if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
        boolean existed = Files.isDirectory(root.resolve(target));
        Path created = root.createDirectories(target, newDirs);
        if (existed && merged != null) {
          setMode(created, merged);
        }
      } else {
        root.copyFile(entry, target, files);
      }
    }
  }

  private static void setMode(Path path, Set<PosixFilePermission> mode) {
    try {
      Files.setPosixFilePermissions(path, mode);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot set the mode of " + path, e);
    }
  }
}
