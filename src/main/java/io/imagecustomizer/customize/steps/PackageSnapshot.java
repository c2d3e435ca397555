package io.imagecustomizer.customize.steps;

import io.imagecustomizer.config.Packages;
import io.imagecustomizer.config.SnapshotTime;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A package snapshot time ({@code --package-snapshot-time}, else the config's {@code
 * os.packages.snapshotTime}) made into the package manager's options for installs and updates: tdnf
 * gets a copy of the image's tdnf.conf with {@code snapshottime} (as upstream); apt 2.7 and newer
 * gets {@code APT::Snapshot}, served by sources that publish snapshots (Ubuntu's archive,
 * snapshot.debian.org). Older apt and dnf have no such filter: the run stops, naming the field,
 * before any package changes.
 */
final class PackageSnapshot implements AutoCloseable {
  static final PackageSnapshot NONE = new PackageSnapshot(List.of(), null, null);

  /** Where the tdnf.conf copy goes inside the image, while the step runs. */
  static final String TDNF_CONF = "/tmp/imagecustomizer-tdnf-snapshot.conf";

  private static final Pattern APT_VERSION = Pattern.compile("^apt (\\d+)\\.(\\d+)");
  private static final DateTimeFormatter APT_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final List<String> options;
  private final @Nullable ImageRoot root;
  private final @Nullable String written;

  private PackageSnapshot(
      List<String> options, @Nullable ImageRoot root, @Nullable String written) {
    this.options = options;
    this.root = root;
    this.written = written;
  }

  static PackageSnapshot of(CustomizeContext context, Packages packages, PackageManager manager) {
    Instant time = context.packageSnapshotTime();
    String field = "--package-snapshot-time";
    if (time == null && packages.snapshotTime() != null) {
      time = Objects.requireNonNull(SnapshotTime.parse(packages.snapshotTime()));
      field = "os.packages.snapshotTime";
    }
    if (time == null) {
      return NONE;
    }
    return switch (manager) {
      case TDNF -> tdnf(context.root(), time);
      case APT -> apt(context, time, field);
      case DNF ->
          throw new ImageCustomizerException(
              field
                  + ": dnf cannot limit packages to a snapshot time (upstream refuses it on dnf"
                  + " images too)",
              "remove the snapshot time, or pin the versions in os.packages.install"
                  + " (name-version)");
    };
  }

  private static PackageSnapshot tdnf(ImageRoot root, Instant time) {
    String base = root.exists("/etc/tdnf/tdnf.conf") ? root.readString("/etc/tdnf/tdnf.conf") : "";
    root.write(
        TDNF_CONF,
        withSnapshotTime(base, time.getEpochSecond()).getBytes(StandardCharsets.UTF_8),
        null);
    return new PackageSnapshot(List.of("--config", TDNF_CONF), root, TDNF_CONF);
  }

  /** The tdnf.conf text with {@code snapshottime} set in its [main] section. */
  static String withSnapshotTime(String conf, long epochSeconds) {
    String setting = "snapshottime=" + epochSeconds;
    List<String> lines = new ArrayList<>(conf.lines().toList());
    int main = lines.indexOf("[main]");
    if (main < 0) {
      lines.add(0, "[main]");
      main = 0;
    }
    int end = main + 1;
    while (end < lines.size() && !lines.get(end).startsWith("[")) {
      end++;
    }
    for (int i = main + 1; i < end; i++) {
      if (lines.get(i).replace(" ", "").startsWith("snapshottime=")) {
        lines.set(i, setting);
        return String.join("\n", lines) + "\n";
      }
    }
    lines.add(main + 1, setting);
    return String.join("\n", lines) + "\n";
  }

  private static PackageSnapshot apt(CustomizeContext context, Instant time, String field) {
    String version =
        context
            .shell()
            .run("ask apt for its version", "apt-get", "--version")
            .lines()
            .findFirst()
            .orElse("");
    Matcher matcher = APT_VERSION.matcher(version);
    boolean supported =
        matcher.find()
            && (Integer.parseInt(matcher.group(1)) > 2
                || Integer.parseInt(matcher.group(1)) == 2
                    && Integer.parseInt(matcher.group(2)) >= 7);
    if (!supported) {
      throw new ImageCustomizerException(
          field
              + ": the image's apt ("
              + (version.isBlank() ? "version unknown" : version.trim())
              + ") cannot install from a snapshot; APT::Snapshot needs apt 2.7 or newer (Debian 13,"
              + " Ubuntu 24.04)",
          "remove the snapshot time, or customize an image with a newer apt");
    }
    return new PackageSnapshot(List.of("-o", "APT::Snapshot=" + APT_ID.format(time)), null, null);
  }

  /** The options that limit an install or update to the snapshot. */
  List<String> options() {
    return options;
  }

  @Override
  public void close() {
    if (root != null && written != null) {
      root.delete(written);
    }
  }
}
