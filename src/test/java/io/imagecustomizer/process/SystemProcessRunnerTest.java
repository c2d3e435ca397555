package io.imagecustomizer.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemProcessRunnerTest {
  private final ProcessRunner runner = new SystemProcessRunner();

  @Test
  void capturesOutputAndFeedsInput() {
    ProcessResult result =
        runner.run(
            Command.of("sh", "-c", "cat; echo err >&2")
                .withStdin("in\n".getBytes(StandardCharsets.UTF_8)));

    assertThat(result.stdout()).isEqualTo("in\n");
    assertThat(result.stderr()).isEqualTo("err\n");
  }

  @Test
  void failureNamesProgramExitCodeAndStderr() {
    assertThatThrownBy(() -> runner.run(Command.of("sh", "-c", "echo 'disk full' >&2; exit 3")))
        .isInstanceOf(ProcessFailedException.class)
        .hasMessageContaining("sh failed with exit code 3")
        .hasMessageContaining("disk full")
        .satisfies(e -> assertThat(((ProcessFailedException) e).programExitCode()).isEqualTo(3));
  }

  @Test
  void missingProgramSaysWhatToInstall() {
    assertThatThrownBy(() -> runner.run(Command.of("no-such-program-xyz")))
        .isInstanceOf(ProcessFailedException.class)
        .hasMessageContaining("cannot start no-such-program-xyz");
  }

  @Test
  void timeoutStopsTheProgramAndItsChildren() {
    long start = System.nanoTime();

    assertThatThrownBy(
            () ->
                runner.run(
                    Command.of("sh", "-c", "sleep 30 & sleep 30; wait")
                        .withTimeout(Duration.ofMillis(300))))
        .isInstanceOf(ProcessFailedException.class)
        .hasMessageContaining("did not finish");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void largeOutputOnBothPipesDoesNotStall() {
    ProcessResult result =
        runner.run(
            Command.of("sh", "-c", "head -c 3000000 /dev/zero; head -c 3000000 /dev/zero >&2"));

    assertThat(result.stdout()).hasSize(3_000_000);
    assertThat(result.stderr()).hasSize(64 * 1024);
  }

  @Test
  void environmentIsAddedWithCLocale() {
    ProcessResult result =
        runner.run(
            Command.of("sh", "-c", "echo $LC_ALL $GREETING")
                .withEnvironment(Map.of("GREETING", "hi")));

    assertThat(result.stdout()).isEqualTo("C hi\n");
  }

  @Test
  void shellTextQuotesWhatNeedsIt() {
    assertThat(Command.of("echo", "a b", "it's", "plain-1.0").shellText())
        .isEqualTo("echo 'a b' 'it'\\''s' plain-1.0");
  }
}
