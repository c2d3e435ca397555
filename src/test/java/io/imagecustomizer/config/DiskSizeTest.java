package io.imagecustomizer.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiskSizeTest {
  @Test
  void readsBinaryUnits() {
    assertThat(DiskSize.parse("1024K")).isEqualTo(new Parsed.Valid<>(new DiskSize(1L << 20)));
    assertThat(DiskSize.parse("500M")).isEqualTo(new Parsed.Valid<>(new DiskSize(500L << 20)));
    assertThat(DiskSize.parse("2G")).isEqualTo(new Parsed.Valid<>(new DiskSize(2L << 30)));
    assertThat(DiskSize.parse("1T")).isEqualTo(new Parsed.Valid<>(new DiskSize(1L << 40)));
  }

  @Test
  void saysWhatIsWrong() {
    assertThat(DiskSize.parse("2 GiB"))
        .isEqualTo(
            new Parsed.Invalid<>(
                "invalid size \"2 GiB\"", "write a number with a unit: K, M, G or T"));
    assertThat(DiskSize.parse("100"))
        .isEqualTo(new Parsed.Invalid<>("size \"100\" has no unit", "add K, M, G or T, e.g. 100M"));
    assertThat(DiskSize.parse("99999999999T"))
        .isEqualTo(new Parsed.Invalid<>("size \"99999999999T\" is too large", null));
    assertThat(DiskSize.parse("1K"))
        .isEqualTo(new Parsed.Invalid<>("size \"1K\" must be a whole number of MiB", null));
  }
}
