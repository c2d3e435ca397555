package io.imagecustomizer.image.mount;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One line of /etc/fstab. */
public record FstabEntry(String source, String target, String type, List<String> options) {
  private static final Set<String> VIRTUAL =
      Set.of("proc", "sysfs", "devpts", "tmpfs", "devtmpfs", "swap", "none");

  /** The entries that name real filesystems, in file order. */
  public static List<FstabEntry> parse(String fstab) {
    List<FstabEntry> entries = new ArrayList<>();
    for (String line : fstab.lines().toList()) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] fields = trimmed.split("\\s+");
      if (fields.length < 3 || VIRTUAL.contains(fields[2])) {
        continue;
      }
      List<String> options = fields.length > 3 ? List.of(fields[3].split(",")) : List.of();
      entries.add(new FstabEntry(fields[0], fields[1], fields[2], options));
    }
    return entries;
  }

  /** {@code UUID=x}, {@code PARTUUID=x}, {@code LABEL=x}, {@code PARTLABEL=x} or a device path. */
  public String sourceKind() {
    int eq = source.indexOf('=');
    return eq > 0 && !source.startsWith("/") ? source.substring(0, eq) : "DEVICE";
  }

  /**
   * The btrfs subvolume its {@code subvol=} option names, as a path from the filesystem's top level
   * (without the leading slash).
   */
  public Optional<String> subvolume() {
    return options.stream()
        .filter(o -> o.startsWith("subvol="))
        .map(o -> o.substring("subvol=".length()).replaceFirst("^/+", ""))
        .filter(o -> !o.isEmpty())
        .findFirst();
  }

  public String sourceValue() {
    int eq = source.indexOf('=');
    return eq > 0 && !source.startsWith("/") ? source.substring(eq + 1) : source;
  }
}
