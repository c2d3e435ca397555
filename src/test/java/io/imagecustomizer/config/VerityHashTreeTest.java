package io.imagecustomizer.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Sizes measured with veritysetup 2.6 format (the hash file's size afterwards). */
class VerityHashTreeTest {
  @Test
  void matchesWhatVeritysetupWrites() {
    assertThat(VerityHashTree.bytes(4096)).isEqualTo(4096);
    assertThat(VerityHashTree.bytes(8192)).isEqualTo(8192);
    assertThat(VerityHashTree.bytes(4096 * 128)).isEqualTo(8192);
    assertThat(VerityHashTree.bytes(4096 * 129)).isEqualTo(16384);
    assertThat(VerityHashTree.bytes(8L << 20)).isEqualTo(73728);
    assertThat(VerityHashTree.bytes(4096L * 16385)).isEqualTo(544768);
    assertThat(VerityHashTree.bytes(100L << 20)).isEqualTo(835584);
  }

  @Test
  void aTypicalRootNeedsUnderOnePercent() {
    assertThat(VerityHashTree.bytes(1600L << 20)).isEqualTo(3227L * 4096);
  }

  @Test
  void inlineDataIsTheLargestWholeMibWhoseTreeFitsBehindIt() {
    long mib = 1024L * 1024;
    long partition = 1600 * mib;

    long data = VerityHashTree.inlineDataBytes(partition);

    assertThat(data % mib).isZero();
    assertThat(data + VerityHashTree.bytes(data)).isLessThanOrEqualTo(partition);
    assertThat(data + mib + VerityHashTree.bytes(data + mib)).isGreaterThan(partition);
    assertThat(VerityHashTree.inlineDataBytes(mib)).isZero();
  }
}
