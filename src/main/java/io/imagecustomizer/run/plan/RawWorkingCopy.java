package io.imagecustomizer.run.plan;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.format.ImageProbe;
import io.imagecustomizer.image.format.QemuImg;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.resource.BuildDirLock;
import io.imagecustomizer.resource.CleanupStack;
import io.imagecustomizer.run.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The raw copy of an input that convert and inject-files work on: the build folder created and
 * locked, the copy written into it; lock and copy go when {@code resources} close.
 */
final class RawWorkingCopy {
  private RawWorkingCopy() {}

  static Path create(
      ProcessRunner runner, Workspace workspace, ImageProbe.Source source, CleanupStack resources) {
    try {
      Files.createDirectories(workspace.buildDir());
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot create " + workspace.buildDir(), e);
    }
    resources.push("lock of " + workspace.buildDir(), BuildDirLock.take(workspace.buildDir()));
    Path raw = workspace.rawImage();
    resources.push("raw copy " + raw, () -> Files.deleteIfExists(raw));
    new QemuImg(runner).toRaw(source, raw);
    return raw;
  }
}
