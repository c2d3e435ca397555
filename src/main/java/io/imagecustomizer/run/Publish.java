package io.imagecustomizer.run;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.resource.CleanupStack;
import io.imagecustomizer.resource.TempDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * Writes an output under a temporary name beside it and renames it only once complete, so a failed
 * or interrupted run never leaves a half-written file that looks valid: the temporary one goes on
 * failure and on SIGINT/SIGTERM.
 */
public final class Publish {
  private Publish() {}

  /** A single output file. */
  public static void file(Path output, Consumer<Path> writer) {
    Path partial = Workspace.partial(output);
    createParent(output);
    try (CleanupStack writing = new CleanupStack()) {
      writing.push("partial output " + partial, () -> Files.deleteIfExists(partial));
      writer.accept(partial);
      Files.move(
          partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write " + output, e);
    }
  }

  /**
   * An output folder (pxe-dir): what was there before is replaced only once the new one is done.
   */
  public static void folder(Path output, Consumer<Path> writer) {
    Path partial = Workspace.partial(output);
    createParent(output);
    try (CleanupStack writing = new CleanupStack()) {
      writing.push("partial output " + partial, () -> TempDir.deleteTree(partial));
      TempDir.deleteTree(partial);
      writer.accept(partial);
      TempDir.deleteTree(output);
      Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write " + output, e);
    }
  }

  private static void createParent(Path output) {
    Path parent = output.getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new ImageCustomizerException(
          "cannot create " + parent + ": " + e.getMessage(),
          "check the path and its permissions",
          e);
    }
  }
}
