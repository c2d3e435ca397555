package io.imagecustomizer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads a {@code --timestamp-file}: each finished span's path ("a/b/c") and its seconds. */
public final class Timings {
  private Timings() {}

  public static Map<String, Double> read(Path file) {
    JsonMapper json = JsonMapper.builder().build();
    Map<Long, String> paths = new HashMap<>();
    Map<String, Double> seconds = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        JsonNode record = json.readTree(line);
        long id = record.get("ID").asLong();
        String parent = paths.get(record.get("ParentID").asLong());
        String name = record.get("Name").asString();
        String path =
            parent == null || id == record.get("ParentID").asLong() ? name : parent + "/" + name;
        if (record.get("EventType").asInt() == 0) {
          paths.put(id, path);
        } else {
          seconds.put(paths.get(id), record.get("ElapsedSeconds").asDouble());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return seconds;
  }
}
