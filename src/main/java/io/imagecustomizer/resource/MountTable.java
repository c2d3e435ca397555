package io.imagecustomizer.resource;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The kernel's table of mounts ({@code /proc/self/mountinfo}). */
public final class MountTable {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private MountTable() {}

  /** Mount points at or below {@code folder}, deepest first (the order to unmount them in). */
  public static List<Path> mountPointsUnder(Path folder) {
    Path base = folder.toAbsolutePath().normalize();
    List<Path> found = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(MOUNTINFO)) {
        String[] fields = line.split(" ");
        if (fields.length > 4) {
          Path point = Path.of(unescape(fields[4]));
          if (point.startsWith(base)) {
            found.add(point);
          }
        }
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + MOUNTINFO, e);
    }
    found.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    return found;
  }

  /** mountinfo writes space, tab, newline and backslash as octal escapes. */
  static String unescape(String field) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length()) {
        text.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }
}
