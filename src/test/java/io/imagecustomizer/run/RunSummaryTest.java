package io.imagecustomizer.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.progress.Progress;
import io.imagecustomizer.progress.Span;
import io.imagecustomizer.resource.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RunSummaryTest {
  @Test
  void aSuccessfulRunsSummaryFitsThePublishedSchema(@TempDir Path dir) throws IOException {
    Path input = Files.writeString(dir.resolve("base.qcow2"), "disk");
    Path config = Files.writeString(dir.resolve("config.yaml"), "os: {}\n");
    Progress progress = new Progress();
    try (Span run = progress.start("imagecustomizer")) {
      for (String stage : List.of("check input", "customize os", "write live os")) {
        try (Span span = progress.start(stage, 1, 3)) {
          try (Span step = progress.start("hostname", 1, 1)) {
            step.succeeded();
          }
          span.succeeded();
        }
      }
      run.succeeded();
    }
    Artifact iso =
        Publish.file(dir.resolve("out/live.iso"), partial -> write(partial, "an iso image"));
    Path summary = dir.resolve("reports/summary.json");
    Files.createDirectories(summary.getParent());

    new RunSummary(
            "customize",
            Instant.parse("2026-12-03T08:00:00Z"),
            Instant.parse("2026-12-03T08:05:00.25Z"),
            0,
            null,
            RunSummary.describe(input),
            List.of(RunSummary.describe(config)),
            "iso",
            List.of(iso),
            RunSummary.stages(progress),
            List.of("/dev/loop1 is still in use"))
        .write(summary);

    assertThat(SummarySchema.validate(summary)).isEmpty();
    JsonNode json = JsonMapper.builder().build().readTree(Files.readString(summary));
    assertThat(json.get("seconds").asDouble()).isEqualTo(300.25);
    assertThat(json.get("input").get("sha256").asString()).isEqualTo(Sha256.of(input));
    assertThat(json.get("input").get("path").asString()).isEqualTo(input.toString());
    assertThat(json.get("outputs").get(0).get("size").asLong()).isEqualTo(12);
    assertThat(json.get("stages").valueStream().map(stage -> stage.get("name").asString()))
        .as("stages only, not the steps inside them")
        .containsExactly("check input", "customize os", "write live os");
    assertThat(dir.resolve("reports")).isDirectoryNotContaining("glob:**/.*.partial");
  }

  @Test
  void aFailedRunsSummaryFitsTheSchemaToo(@TempDir Path dir) {
    Progress progress = new Progress();
    try (Span run = progress.start("imagecustomizer");
        Span stage = progress.start("check input", 1, 2)) {
      // closed without succeeded(): failed
    }
    Path summary = dir.resolve("summary.json");

    new RunSummary(
            "customize",
            Instant.now(),
            Instant.now(),
            1,
            "the input image /nope.qcow2 does not exist",
            RunSummary.describe(dir.resolve("nope.qcow2")),
            List.of(),
            null,
            List.of(),
            RunSummary.stages(progress),
            List.of())
        .write(summary);

    assertThat(SummarySchema.validate(summary)).isEmpty();
    assertThat(summary).content().contains("\"input\" : null", "\"succeeded\" : false");
  }

  @Test
  void theSchemaRefusesASummaryWithoutItsExitCode(@TempDir Path dir) throws IOException {
    Path summary = dir.resolve("summary.json");
    new RunSummary(
            "customize",
            Instant.now(),
            Instant.now(),
            0,
            null,
            null,
            List.of(),
            "raw",
            List.of(),
            List.of(),
            List.of())
        .write(summary);
    Files.writeString(summary, Files.readString(summary).replace("\"exitCode\"", "\"exit\""));

    assertThat(SummarySchema.validate(summary)).isNotEmpty();
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
