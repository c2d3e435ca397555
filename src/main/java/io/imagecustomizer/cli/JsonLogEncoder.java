package io.imagecustomizer.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code --log-format json}: one JSON object a line, as upstream's logger writes them ({@code
 * level}, {@code msg}, {@code time}; its level words: {@code warning}, not {@code WARN}), so that
 * whatever reads upstream's JSON logs reads these. Jackson escapes every message, newlines
 * included.
 */
final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").withZone(ZoneOffset.UTC);

  @Override
  public byte[] headerBytes() {
    return new byte[0];
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ObjectNode line = JSON.createObjectNode();
    line.put("level", level(event.getLevel()));
    line.put("msg", event.getFormattedMessage());
    line.put("time", TIME.format(Instant.ofEpochMilli(event.getTimeStamp())));
    return (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return new byte[0];
  }

  /** Upstream's level words. */
  static String level(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> "error";
      case Level.WARN_INT -> "warning";
      case Level.INFO_INT -> "info";
      case Level.DEBUG_INT -> "debug";
      default -> "trace";
    };
  }
}
