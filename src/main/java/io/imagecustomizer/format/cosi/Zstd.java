package io.imagecustomizer.format.cosi;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The zstd program, as a COSI's partition images are compressed. */
public final class Zstd {
  /** Levels from here on need {@code --ultra}. */
  private static final int ULTRA = 20;

  private final ProcessRunner runner;

  public Zstd(ProcessRunner runner) {
    this.runner = runner;
  }

  /**
   * Compresses {@code input} (a file or a block device) into {@code output}.
   *
   * @param level 1..22
   * @param windowLog {@code --long}'s window, as a power of two: a reader must pass at least as
   *     much to {@code zstd -d --long}
   */
  public void compress(Path input, Path output, int level, int windowLog) {
    // --force: the input may be a loop device, which zstd otherwise skips as not a regular file.
    List<String> argv = new ArrayList<>(List.of("zstd", "--force", "--quiet"));
    if (level >= ULTRA) {
      argv.add("--ultra");
    }
    argv.addAll(
        List.of(
            "-" + level, "--long=" + windowLog, "-T0", input.toString(), "-o", output.toString()));
    runner.run(Command.of(argv));
  }
}
