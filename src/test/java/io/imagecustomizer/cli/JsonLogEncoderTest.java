package io.imagecustomizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonLogEncoderTest {
  private final LoggerContext context = new LoggerContext();

  private String encode(Level level, String message) {
    LoggingEvent event =
        new LoggingEvent("test", context.getLogger("test"), level, message, null, null);
    event.setTimeStamp(1_700_000_000_000L);
    return new String(new JsonLogEncoder().encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void writesUpstreamsFieldsAndLevelWords() {
    assertThat(encode(Level.INFO, "Success!"))
        .isEqualTo("{\"level\":\"info\",\"msg\":\"Success!\",\"time\":\"2023-11-14T22:13:20Z\"}\n");
    assertThat(encode(Level.WARN, "w")).contains("\"level\":\"warning\"");
    assertThat(encode(Level.ERROR, "e")).contains("\"level\":\"error\"");
    assertThat(encode(Level.DEBUG, "d")).contains("\"level\":\"debug\"");
  }

  @Test
  void anyMessageStaysOneValidJsonLine() {
    String line = encode(Level.INFO, "two\nlines with \"quotes\", a \\ and a \u0007");

    assertThat(line.strip()).doesNotContain("\n");
    JsonNode parsed = JsonMapper.builder().build().readTree(line);
    assertThat(parsed.get("msg").asString())
        .isEqualTo("two\nlines with \"quotes\", a \\ and a \u0007");
  }
}
