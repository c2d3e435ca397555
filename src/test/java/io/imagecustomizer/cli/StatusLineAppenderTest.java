package io.imagecustomizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import io.imagecustomizer.progress.ProgressLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatusLineAppenderTest {
  private static final String CLEAR = "\r\033[2K";

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final AtomicLong now = new AtomicLong();
  private Logger log;

  @BeforeEach
  void terminal() {
    LoggerContext context = new LoggerContext();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    StatusLineAppender appender =
        new StatusLineAppender(
            new PrintStream(bytes, true, StandardCharsets.UTF_8), encoder, now::get);
    appender.setContext(context);
    appender.start();
    log = context.getLogger("test");
    log.addAppender(appender);
  }

  private String out() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aStepIsABarUnderTheLogLinesUntilItIsDone() {
    log.debug(ProgressLog.STARTED, "[{}/{}] {}", 2, 4, "users");
    now.set(3_000_000_000L);
    log.info("useradd alice");
    log.info(ProgressLog.DONE, "[{}/{}] {} done in {} s", 2, 4, "users", "3.0");
    log.info("after");

    String bar = "[======>                  ] 2/4 users ";
    assertThat(out())
        .isEqualTo(
            CLEAR
                + bar
                + "0 s"
                + CLEAR
                + "useradd alice\n"
                + bar
                + "3 s"
                + CLEAR
                + "[2/4] users done in 3.0 s\n"
                + CLEAR
                + "after\n");
  }

  @Test
  void plainLinesOutsideStepsHaveNoBar() {
    log.info("Converting the image");

    assertThat(out()).isEqualTo(CLEAR + "Converting the image\n");
  }
}
