package io.imagecustomizer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SquashfsCompressionTest {
  @Test
  void aNameAloneIsTheCompressorsOwnDefaultAndZstdAloneIsOurs() {
    assertThat(SquashfsCompression.parse("zstd")).isEqualTo(SquashfsCompression.DEFAULT);
    assertThat(SquashfsCompression.parse("xz").toolArguments()).containsExactly("-comp", "xz");
  }

  @Test
  void aLevelBecomesMksquashfsCompressionLevel() {
    SquashfsCompression gzip = SquashfsCompression.parse("gzip:9");

    assertThat(gzip.toolArguments()).containsExactly("-comp", "gzip", "-Xcompression-level", "9");
    assertThat(gzip).hasToString("gzip:9");
  }

  @Test
  void aLevelOutOfRangeSaysTheRange() {
    assertThatThrownBy(() -> SquashfsCompression.parse("zstd:23"))
        .hasMessageContaining("\"23\"")
        .hasMessageContaining("from 1 to 22");
    assertThatThrownBy(() -> SquashfsCompression.parse("zstd:fast"))
        .hasMessageContaining("not a whole number");
  }

  @Test
  void aCompressorWithoutLevelsRefusesOne() {
    assertThatThrownBy(() -> SquashfsCompression.parse("xz:9")).hasMessageContaining("no level");
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    assertThatThrownBy(() -> SquashfsCompression.parse("brotli:3"))
        .hasMessageContaining("\"brotli\"")
        .hasMessageContaining("zstd, xz, gzip, lz4, lzo");
  }
}
