package io.imagecustomizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inject-files stops before any work on a bad config or flag, saying where and why. */
class InjectFilesCommandTest {
  /** Upstream's documented example, shortened to one entry. */
  private static final String EXAMPLE =
      """
      injectFiles:
      - partition:
          idType: part-uuid
          id: b9f59ced-d1a6-44a7-91d9-4d623a39b032
        destination: /EFI/BOOT/bootx64.efi
        source: ./shim/bootx64.efi
        type: shim
      previewFeatures:
      - inject-files
      """;

  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int run(String config, String... more) throws IOException {
    Path file = dir.resolve("inject-files.yaml");
    Files.writeString(file, config);
    String[] args = {
      "inject-files",
      "--build-dir",
      dir.resolve("build").toString(),
      "--config-file",
      file.toString(),
      "--image-file",
      dir.resolve("in.raw").toString()
    };
    String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), all);
  }

  @Test
  void everyProblemOfTheConfigIsNamedWithItsPlace() throws IOException {
    int code =
        run(
            """
            injectFiles:
            - partition:
                idType: fs-uuid
              destination: EFI/BOOT/../bootx64.efi
            """);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "previewFeatures: the 'inject-files' feature is a preview",
            "inject-files.yaml:3:13: injectFiles[0].partition.idType: invalid value \"fs-uuid\"",
            "injectFiles[0].partition.id: must be given",
            "inject-files.yaml:4:16: injectFiles[0].destination: must be an absolute file path",
            "injectFiles[0].source: must be given");
    assertThat(dir.resolve("build")).doesNotExist();
  }

  @Test
  void aMissingSourceStopsTheRunBeforeAnyWork() throws IOException {
    int code = run(EXAMPLE);

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .contains("injectFiles[0].source: " + dir.resolve("shim/bootx64.efi") + " does not exist");
    assertThat(dir.resolve("build")).doesNotExist();
  }

  @Test
  void aLiveOsFormatIsRefused() throws IOException {
    int code = run(EXAMPLE, "--output-image-format", "iso");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("inject-files writes vhd, vhd-fixed, vhdx, qcow2, raw");
  }
}
