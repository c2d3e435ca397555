package io.imagecustomizer.customize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two customize runs, the second on the first's output: the image's history holds both, in order,
 * each with upstream's fields, and neither password in plain text.
 */
class ImageHistoryIT {
  private static final Path CONFIGS = Path.of("src/test/resources/it/image-history");

  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  private static void customize(Path dir, Path input, String config, Path output) {
    CliRun run =
        CliRun.customize(dir.resolve("build"), input, CONFIGS.resolve(config), "raw", output);
    assertThat(run.code()).as(run.err()).isZero();
  }

  @Test
  void twoRunsLeaveTwoEntriesAndNoPlainTextPassword(@TempDir Path dir) throws IOException {
    Path first = dir.resolve("first.raw");
    Path second = dir.resolve("second.raw");
    customize(dir, TestImages.base("qcow2"), "first.yaml", first);
    customize(dir, first, "second.yaml", second);

    String history;
    String release;
    try (OsImage image =
        OsImage.open(new SystemProcessRunner(), second, dir.resolve("inspect"), true)) {
      history = image.root().readString("/usr/share/image-customizer/history.json");
      release = image.root().readString("/etc/image-customizer-release");
    }

    assertThat(history)
        .doesNotContain(
            "FirstPlainPassw0rd", "SecondPlainPassw0rd", "SecondInlineSecret", "HistoryFirstKey");
    JsonNode entries = JsonMapper.builder().build().readTree(history);
    assertThat(entries.isArray()).isTrue();
    assertThat(entries.size()).isEqualTo(2);
    for (JsonNode entry : entries) {
      assertThat(entry.path("timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT[\\d:]{8}Z");
      assertThat(entry.path("toolVersion").asString()).isNotBlank();
      assertThat(entry.path("imageUuid").asString()).hasSize(36);
    }
    JsonNode firstOs = entries.get(0).path("config").path("os");
    JsonNode secondOs = entries.get(1).path("config").path("os");
    assertThat(firstOs.path("hostname").asString()).isEqualTo("history-first");
    assertThat(secondOs.path("hostname").asString()).isEqualTo("history-second");
    assertThat(firstOs.path("users").get(0).path("password").path("value").asString())
        .isEqualTo("[redacted]");
    assertThat(firstOs.path("additionalFiles").get(0).path("sha256hash").asString())
        .isEqualTo(TestImages.sha256(CONFIGS.resolve("motd")));
    assertThat(entries.get(0).path("imageUuid").asString())
        .isNotEqualTo(entries.get(1).path("imageUuid").asString());
    assertThat(release).contains("IMAGE_UUID=\"" + entries.get(1).path("imageUuid").asString());
    assertThat(Files.size(second)).isPositive();
  }
}
