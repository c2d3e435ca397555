package io.imagecustomizer.progress;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code --timestamp-file}: every span as upstream's timing records, one JSON object a line. A
 * span's start is a record with {@code EventType} 0 and its {@code StartTime}; its end is a record
 * with {@code EventType} 1, its {@code EndTime} and {@code ElapsedSeconds}. {@code ID} and {@code
 * ParentID} give the tree; {@code Name} is the span's own name (the path is the chain of parents).
 * Each line is flushed as it is written, so a failed or killed run leaves the timings up to where
 * it stopped.
 */
public final class TimestampFile implements ProgressListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TimestampFile.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int START = 0;
  private static final int STOP = 1;

  private final Path path;
  private final Writer out;

  private TimestampFile(Path path, Writer out) {
    this.path = path;
    this.out = out;
  }

  /** Creates (or empties) the file; its folder is created if missing. */
  public static TimestampFile create(Path path) {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return new TimestampFile(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot create the timestamp file " + path, e);
    }
  }

  @Override
  public synchronized void started(Span span) {
    ObjectNode record = record(START, span);
    record.put("StartTime", time(span.startTime()));
    write(record);
  }

  @Override
  public synchronized void finished(Span span) {
    ObjectNode record = record(STOP, span);
    record.put("StartTime", time(span.startTime()));
    Instant end = span.endTime();
    if (end != null) {
      record.put("EndTime", time(end));
    }
    record.put("ElapsedSeconds", span.seconds());
    write(record);
  }

  private static ObjectNode record(int eventType, Span span) {
    ObjectNode record = JSON.createObjectNode();
    record.put("EventType", eventType);
    record.put("Name", span.name());
    record.put("ID", span.id());
    Span parent = span.parent();
    record.put("ParentID", parent == null ? 0 : parent.id());
    return record;
  }

  private static String time(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  private void write(ObjectNode record) {
    try {
      out.write(JSON.writeValueAsString(record));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      // Timings are a by-product: a full disk here must not fail the build itself.
      LOG.warn("cannot write the timestamp file {}: {}", path, e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      LOG.warn("cannot close the timestamp file {}: {}", path, e.getMessage());
    }
  }
}
