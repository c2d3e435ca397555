package io.imagecustomizer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.RecordingRunner;
import org.junit.jupiter.api.Test;

class VeritySetupTest {
  /** What veritysetup 2.6 prints for {@code format}. */
  private static final String OUTPUT =
      """
      VERITY header information for /dev/loop4
      UUID:            \t14cb2873-e210-4a24-8d20-1d49e70054b0
      Hash type:       \t1
      Data blocks:     \t2048
      Data block size: \t4096
      Hash blocks:     \t17
      Hash block size: \t4096
      Hash algorithm:  \tsha256
      Salt:            \tcdcf6d22d83650e7a387218d67bff0b15db2b9ec41b4d7f595af7da260179186
      Root hash:      \tE5899EF2AEF2136EC27EDED0C2BBF6F23EF8D2213E64B4A777873B848F3CCD4F
      Hash device size: \t73728 [bytes]
      """;

  @Test
  void readsTheRootHashAndTheHashSuperblocksUuid() {
    VeritySetup.Formatted formatted = VeritySetup.parse(OUTPUT);

    assertThat(formatted.rootHash())
        .isEqualTo("e5899ef2aef2136ec27eded0c2bbf6f23ef8d2213e64b4a777873b848f3ccd4f");
    assertThat(formatted.hashUuid()).isEqualTo("14cb2873-e210-4a24-8d20-1d49e70054b0");
  }

  @Test
  void checksTheFilesystemThenFormatsWithUpstreamsSettings() {
    RecordingRunner runner = new RecordingRunner(OUTPUT);

    VeritySetup.format(runner, "root", "/dev/loop1", 8L << 20, "ext4", "/dev/loop2", 1L << 20);

    assertThat(runner.lines())
        .containsExactly(
            "e2fsck -f -n /dev/loop1",
            "dumpe2fs -h /dev/loop1",
            "veritysetup format --hash sha256 --data-block-size 4096 --hash-block-size 4096"
                + " /dev/loop1 /dev/loop2");
  }

  @Test
  void refusesAHashPartitionTooSmallBeforeWritingToIt() {
    RecordingRunner runner = new RecordingRunner(OUTPUT);

    assertThatThrownBy(
            () ->
                VeritySetup.format(
                    runner, "root", "/dev/loop1", 1600L << 20, "xfs", "/dev/loop2", 8L << 20))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining("needs 13217792")
        .satisfies(
            e ->
                assertThat(((ImageCustomizerException) e).hint())
                    .isEqualTo("make the hash partition at least 13M"));
    assertThat(runner.lines()).isEmpty();
  }
}
