package io.imagecustomizer.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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
  void failureShowsTheLastLinesOfAProgramThatWritesItsErrorsToStdout() {
    // A warning on stderr must not hide the end of stdout, where this program says what failed.
    String script =
        "echo 'warning: noise' >&2; i=0; while [ $i -lt 40 ]; do echo step $i; i=$((i+1)); done;"
            + " echo 'cannot write: disk full'; exit 1";

    assertThatThrownBy(() -> runner.run(Command.of("sh", "-c", script)))
        .isInstanceOf(ProcessFailedException.class)
        .hasMessageContaining("step 39\ncannot write: disk full")
        .hasMessageNotContaining("step 9\n");
  }

  @Test
  void streamedOutputGoesToTheDebugLogWithoutProgressBars() {
    Logger logger = (Logger) LoggerFactory.getLogger(SystemProcessRunner.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    Level before = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logger.setAdditive(false);
    try {
      runner.run(
          Command.of("sh", "-c", "printf 'dracut: module x\\n[==  ] 10%%\\r[====] 100%%\\n' >&2")
              .streamingOutput());
    } finally {
      logger.detachAppender(events);
      logger.setLevel(before);
      logger.setAdditive(true);
    }

    assertThat(events.list)
        .filteredOn(e -> !e.getFormattedMessage().startsWith("running:"))
        .extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
        .containsExactly(
            tuple(Level.DEBUG, "sh: dracut: module x"), tuple(Level.DEBUG, "sh: [====] 100%"));
  }

  @Test
  void plainLinesKeepWhatATerminalWouldShow() {
    assertThat(SystemProcessRunner.plain("[=   ] 1%\r[====] 100%\r")).isEqualTo("[====] 100%");
    assertThat(SystemProcessRunner.plain("\u001B[1;31merror\u001B[0m: bad\u0007"))
        .isEqualTo("error: bad");
    assertThat(SystemProcessRunner.plain("tab\tkept")).isEqualTo("tab\tkept");
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
