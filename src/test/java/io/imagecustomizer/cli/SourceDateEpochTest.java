package io.imagecustomizer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.error.ImageCustomizerException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceDateEpochTest {
  @Test
  void unsetMeansNowAndSetMeansThatSecond() {
    assertThat(SourceDateEpoch.of(Map.of())).isNull();
    assertThat(SourceDateEpoch.of(Map.of("SOURCE_DATE_EPOCH", "1700000000")))
        .isEqualTo(Instant.parse("2023-11-14T22:13:20Z"));
    assertThat(SourceDateEpoch.of(Map.of("SOURCE_DATE_EPOCH", "0"))).isEqualTo(Instant.EPOCH);
  }

  @Test
  void anythingButWholeSecondsThatFitIsRefusedAsBadInput() {
    for (String bad :
        new String[] {"", " 1700000000", "1700000000.5", "-1", "2023-11-14", "4294967296"}) {
      assertThatThrownBy(() -> SourceDateEpoch.of(Map.of("SOURCE_DATE_EPOCH", bad)))
          .as(bad)
          .isInstanceOf(ImageCustomizerException.class)
          .hasMessageContaining("SOURCE_DATE_EPOCH='" + bad + "' is not a time")
          .satisfies(
              e ->
                  assertThat(((ImageCustomizerException) e).exitCode())
                      .isEqualTo(ImageCustomizerException.EXIT_BAD_INPUT));
    }
  }
}
