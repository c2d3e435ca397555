package io.imagecustomizer.run.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckSpaceTest {
  private static final long MIB = 1024 * 1024;
  private static final Path BUILD = Path.of("/build");
  private static final Path OUT = Path.of("/out/image.iso");

  @Test
  void aLiveOsNeedsTheCopyTheTreeAndTheSquashfs() {
    List<CheckSpace.Need> needs = CheckSpace.needs(BUILD, OUT, false, true, 100 * MIB);

    assertThat(needs)
        .containsExactly(
            new CheckSpace.Need(BUILD, 100 * MIB, 250 * MIB),
            new CheckSpace.Need(Path.of("/out"), 0, 50 * MIB));
  }

  @Test
  void lessThanTheMinimumIsRefusedWithBothNumbers() {
    List<CheckSpace.Verdict> verdicts =
        CheckSpace.judge(
            List.of(new CheckSpace.Need(BUILD, 100 * MIB, 250 * MIB)),
            folder -> 60 * MIB,
            folder -> folder);

    assertThat(verdicts)
        .containsExactly(
            new CheckSpace.Verdict(
                true,
                "not enough space in /build: this run needs at least 100.0 MiB (about 250.0 MiB)"
                    + " but only 60.0 MiB is free"));
  }

  @Test
  void lessThanTheEstimateIsAWarning() {
    List<CheckSpace.Verdict> verdicts =
        CheckSpace.judge(
            List.of(new CheckSpace.Need(BUILD, 100 * MIB, 250 * MIB)),
            folder -> 200 * MIB,
            folder -> folder);

    assertThat(verdicts).singleElement().extracting(CheckSpace.Verdict::refused).isEqualTo(false);
  }

  @Test
  void foldersOnOneFilesystemCountTogether() {
    List<CheckSpace.Need> needs =
        List.of(
            new CheckSpace.Need(BUILD, 100 * MIB, 100 * MIB),
            new CheckSpace.Need(Path.of("/out"), 100 * MIB, 100 * MIB));

    assertThat(CheckSpace.judge(needs, folder -> 150 * MIB, folder -> "one disk"))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).startsWith("not enough space in /build and /out"));
    assertThat(CheckSpace.judge(needs, folder -> 150 * MIB, folder -> folder)).isEmpty();
  }
}
