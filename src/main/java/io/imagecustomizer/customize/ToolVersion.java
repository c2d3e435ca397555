package io.imagecustomizer.customize;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version Maven wrote into the jar. */
public final class ToolVersion {
  private ToolVersion() {}

  public static String get() {
    Properties properties = new Properties();
    try (InputStream in = ToolVersion.class.getResourceAsStream("/imagecustomizer.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version", "unknown");
  }
}
