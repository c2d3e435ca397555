package io.imagecustomizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream's flags this version cannot apply stop the run before any work, each with its reason.
 */
class UnappliedCustomizeOptionsTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
  }

  @Test
  void eachGivenFlagIsRefusedWithItsReason() {
    int code =
        run(
            "--build-dir", dir.resolve("build").toString(),
            "--config-file", dir.resolve("config.yaml").toString(),
            "--tools-dir", dir.resolve("tools").toString(),
            "--setfiles-context", "system_u:system_r:setfiles_t:s0",
            "--output-image-format", "vhdx");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "--tools-dir: running the package manager from a tools tree is not supported yet",
            "--setfiles-context: this version does not relabel files with setfiles yet",
            "hint: remove them; nothing was changed");
    assertThat(dir.resolve("build")).doesNotExist();
  }
}
