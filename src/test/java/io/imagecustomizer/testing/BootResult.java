package io.imagecustomizer.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a QEMU boot ended: the marker line it printed, or the failure pattern it hit, or neither
 * before the timeout; with the check lines of the test image and the kept serial log.
 */
public record BootResult(
    @Nullable String markerLine,
    @Nullable String failure,
    List<String> checkLines,
    Duration elapsed,
    Path serialLog) {

  public boolean booted() {
    return markerLine != null;
  }

  /** The hostname the marker reported. */
  public String hostname() {
    return field(1);
  }

  /** {@code <source>,<fstype>} of the root filesystem. */
  public String root() {
    return field(2).substring("root=".length());
  }

  /** The kernel command line the marker reported. */
  public String cmdline() {
    String line = markerLine == null ? "" : markerLine;
    int at = line.indexOf("cmdline=");
    return at < 0 ? "" : line.substring(at + "cmdline=".length());
  }

  /** The output of the check script {@code name}, if it ran. */
  public Optional<String> check(String name) {
    String prefix = "IMAGECUSTOMIZER-CHECK " + name + " ";
    return checkLines.stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()).strip())
        .findFirst();
  }

  private String field(int index) {
    if (markerLine == null) {
      throw new IllegalStateException("no marker; see " + serialLog);
    }
    return markerLine.split(" ")[index];
  }

  @Override
  public String toString() {
    return booted()
        ? "booted in " + elapsed.toSeconds() + " s: " + markerLine
        : "did not boot (" + (failure == null ? "timeout" : failure) + "), log " + serialLog;
  }
}
