package io.imagecustomizer.run;

import io.imagecustomizer.process.ProcessFailedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Tells a failure caused by a full filesystem (ENOSPC) from the others, and which folder of the run
 * is full, so that the first line the user reads says so instead of "cp failed with exit code 1".
 * Found from the text alone: by the time the error is shown the run's files are deleted again, so
 * the free space no longer tells.
 */
public final class DiskFull {
  private static final String ENOSPC = "no space left on device";
  private static final Pattern PATH = Pattern.compile("(?<![\\w.])(/[^\\s'\"`:,;()\\[\\]]+)");

  private DiskFull() {}

  /**
   * The folder that filled up, when {@code failure} comes from ENOSPC: {@code buildDir} for
   * anything written under it, else the folder of the file being written (an output's).
   */
  public static Optional<Path> folder(Throwable failure, @Nullable Path buildDir) {
    Set<Throwable> seen = new HashSet<>();
    for (Throwable at = failure; at != null && seen.add(at); at = at.getCause()) {
      String text = at.getMessage() == null ? "" : at.getMessage();
      Optional<String> line =
          text.lines().filter(l -> l.toLowerCase(Locale.ROOT).contains(ENOSPC)).findFirst();
      if (line.isEmpty()) {
        continue;
      }
      List<Path> written = paths(line.get());
      if (written.isEmpty()) {
        written = written(at, text);
      }
      if (written.isEmpty()) {
        return Optional.ofNullable(buildDir);
      }
      Path file = written.get(written.size() - 1).normalize();
      if (buildDir != null && file.startsWith(buildDir.toAbsolutePath().normalize())) {
        return Optional.of(buildDir);
      }
      return Optional.of(file.getParent() == null ? file : file.getParent());
    }
    return Optional.empty();
  }

  /**
   * The file a failed program was writing: the argument after {@code -o}, else its last path
   * argument (cp, qemu-img convert, mksquashfs all take the destination last); for any other
   * failure, the paths its message names.
   */
  private static List<Path> written(Throwable failure, String text) {
    if (failure instanceof ProcessFailedException process) {
      List<String> argv = process.command().argv();
      int output = argv.indexOf("-o");
      if (output >= 0 && output + 1 < argv.size()) {
        return paths(argv.get(output + 1));
      }
      return paths(String.join(" ", argv.subList(1, argv.size())));
    }
    return paths(text);
  }

  private static List<Path> paths(String text) {
    List<Path> found = new ArrayList<>();
    Matcher match = PATH.matcher(text);
    while (match.find()) {
      found.add(Path.of(match.group(1)));
    }
    return found;
  }
}
