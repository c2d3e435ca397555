package io.imagecustomizer.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProgressTest {
  @TempDir Path dir;

  private final AtomicLong nanos = new AtomicLong();
  private final Progress progress =
      new Progress(Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC), nanos::get);

  @Test
  void spansNestAndTellListenersInOrder() {
    List<String> seen = new ArrayList<>();
    progress.listen(
        new ProgressListener() {
          @Override
          public void started(Span span) {
            seen.add("start " + span.path());
          }

          @Override
          public void finished(Span span) {
            seen.add("end " + span.path() + (span.isSucceeded() ? " ok" : " failed"));
          }
        });
    try (Span run = progress.start("run")) {
      try (Span stage = progress.start("customize os", 1, 2)) {
        nanos.addAndGet(1_500_000_000L);
        stage.succeeded();
      }
      try (Span stage = progress.start("write", 2, 2)) {
        nanos.addAndGet(500_000_000L);
      }
      run.succeeded();
    }
    assertThat(seen)
        .containsExactly(
            "start run",
            "start run/customize os",
            "end run/customize os ok",
            "start run/write",
            "end run/write failed",
            "end run ok");
    assertThat(progress.finished()).extracting(Span::seconds).containsExactly(1.5, 0.5, 2.0);
    assertThat(progress.finished().get(0).depth()).isEqualTo(1);
  }

  @Test
  void anOuterSpanClosedFirstEndsItsChildren() {
    Span outer = progress.start("outer");
    Span inner = progress.start("inner");
    outer.close();
    assertThat(inner.endTime()).isNotNull();
    assertThat(progress.finished()).extracting(Span::name).containsExactly("inner", "outer");
    inner.close();
    assertThat(progress.finished()).hasSize(2);
    assertThat(progress.current()).isNull();
  }

  @Test
  void spansStartedBesideEachOtherShareTheirParentAndEndOnTheirOwn() {
    Span stage = progress.start("write live os");
    Span initrd = progress.startBeside("live initrd");
    Span squashfs = progress.startBeside("squashfs");
    assertThat(progress.current()).isSameAs(stage);
    initrd.close();
    Span bios = progress.startBeside("bios boot image");
    squashfs.close();
    bios.close();
    stage.close();
    assertThat(progress.finished())
        .extracting(Span::path)
        .containsExactly(
            "write live os/live initrd",
            "write live os/squashfs",
            "write live os/bios boot image",
            "write live os");
  }

  @Test
  void timestampFileHasAStartAndAStopRecordPerSpan() throws IOException {
    Path file = dir.resolve("sub/times.jsonl");
    try (TimestampFile timestamps = TimestampFile.create(file)) {
      progress.listen(timestamps);
      try (Span run = progress.start("imagecustomizer")) {
        try (Span stage = progress.start("convert to raw", 1, 1)) {
          nanos.addAndGet(2_000_000_000L);
          stage.succeeded();
        }
        run.succeeded();
      }
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(4);
    JsonMapper json = JsonMapper.builder().build();
    JsonNode start = json.readTree(lines.get(1));
    JsonNode stop = json.readTree(lines.get(2));
    assertThat(start.get("EventType").asInt()).isZero();
    assertThat(start.get("Name").asString()).isEqualTo("convert to raw");
    assertThat(start.get("ParentID").asLong())
        .isEqualTo(json.readTree(lines.get(0)).get("ID").asLong());
    assertThat(start.get("StartTime").asString()).isEqualTo("2026-12-02T10:00:00Z");
    assertThat(stop.get("EventType").asInt()).isEqualTo(1);
    assertThat(stop.get("EndTime").asString()).isEqualTo("2026-12-02T10:00:02Z");
    assertThat(stop.get("ElapsedSeconds").asDouble()).isEqualTo(2.0);
  }
}
