package io.imagecustomizer.chroot;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs programs inside the image, as if the image were the running system: chrooted into its root
 * with its own /dev, /proc, /sys and /run. A program that exits non-zero fails the run with an
 * error that names {@code what} and carries the program's output.
 */
public interface ImageShell {
  /**
   * Runs {@code argv} (resolved inside the image) and returns its standard output.
   *
   * @param what what the command is for, for the error message ("add user alice")
   * @param environment extra variables; the image sees a clean environment otherwise
   * @param stdin text fed to the program, or null for none
   */
  String run(
      String what, List<String> argv, Map<String, String> environment, @Nullable String stdin);

  /**
   * Makes a host folder visible read-only inside the image at {@code imagePath} until closed
   * (scripts reach their config folder at {@code /_imageconfigs} this way).
   */
  AutoCloseable bindReadOnly(java.nio.file.Path hostFolder, String imagePath);

  default String run(String what, String... argv) {
    return run(what, List.of(argv), Map.of(), null);
  }
}
