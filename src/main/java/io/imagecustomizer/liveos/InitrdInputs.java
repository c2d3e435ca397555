package io.imagecustomizer.liveos;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.resource.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A fingerprint of what a bootstrap initrd is built from, so that an ISO input's initrd can be
 * reused when a run changes nothing it depends on (a hostname, a user, a file under /opt), and is
 * rebuilt otherwise. It covers dracut's command line and SOURCE_DATE_EPOCH; the content of dracut's
 * configuration and modules and of the /etc files dracut or the initrd's programs read; and, by
 * size, time and mode, every file under /usr (programs, libraries, kernel modules, firmware) and
 * the top-level program folders, so that any package change rebuilds.
 */
final class InitrdInputs {
  /** Read for their content: small, and where a change need not touch a file's size or time. */
  private static final List<String> BY_CONTENT =
      List.of(
          "etc/dracut.conf",
          "etc/dracut.conf.d",
          "usr/lib/dracut",
          "etc/modprobe.d",
          "etc/modules-load.d",
          "etc/udev",
          "etc/systemd",
          "etc/sysctl.conf",
          "etc/sysctl.d",
          "etc/os-release",
          "etc/passwd",
          "etc/group",
          "etc/nsswitch.conf",
          "etc/ld.so.conf",
          "etc/ld.so.conf.d",
          "etc/ld.so.cache",
          "etc/cmdline.d",
          "etc/crypttab",
          "etc/vconsole.conf",
          "etc/locale.conf",
          "etc/selinux/config");

  /** Read for their files' size, time and mode: large, and changed only by packages. */
  private static final List<String> BY_METADATA =
      List.of("usr", "bin", "sbin", "lib", "lib64", "lib32");

  /** Written by every customize run, and never read by dracut. */
  private static final String HISTORY = "usr/share/image-customizer";

  private InitrdInputs() {}

  static String of(ImageRoot tree, List<String> dracut, @Nullable Instant sourceDate) {
    Map<String, String> entries = new TreeMap<>();
    entries.put("dracut", String.join(" ", dracut));
    entries.put("source-date", String.valueOf(sourceDate));
    Path root = tree.hostPath();
    for (String path : BY_CONTENT) {
      walk(root, path, true, sourceDate, entries);
    }
    for (String path : BY_METADATA) {
      walk(root, path, false, sourceDate, entries);
    }
    MessageDigest digest = Sha256.digest();
    entries.forEach(
        (path, what) ->
            digest.update((path + "\t" + what + "\n").getBytes(StandardCharsets.UTF_8)));
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * A file's time as the squashfs will keep it: in whole seconds, and no later than
   * SOURCE_DATE_EPOCH when set (mksquashfs clamps to it), so that a tree and the same tree unpacked
   * from the media, or two reproducible runs, give the same fingerprint.
   */
  private static long seconds(BasicFileAttributes attrs, @Nullable Instant sourceDate) {
    long seconds = attrs.lastModifiedTime().to(TimeUnit.SECONDS);
    return sourceDate == null ? seconds : Math.min(seconds, sourceDate.getEpochSecond());
  }

  private static void walk(
      Path root,
      String path,
      boolean content,
      @Nullable Instant sourceDate,
      Map<String, String> entries) {
    Path start = root.resolve(path);
    if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          start,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              String name = root.relativize(dir).toString();
              if (name.equals(HISTORY)) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              entries.put(name, "d " + mode(dir));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              String name = root.relativize(file).toString();
              if (attrs.isSymbolicLink()) {
                entries.put(name, "l " + Files.readSymbolicLink(file));
              } else if (!attrs.isRegularFile()) {
                entries.put(name, "o " + mode(file));
              } else if (content) {
                // small files: /etc and dracut's own
                byte[] bytes = Files.readAllBytes(file);
                entries.put(
                    name,
                    "f "
                        + mode(file)
                        + " "
                        + HexFormat.of().formatHex(Sha256.digest().digest(bytes)));
              } else {
                entries.put(
                    name,
                    "f " + mode(file) + " " + attrs.size() + " " + seconds(attrs, sourceDate));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + start, e);
    }
  }

  private static String mode(Path path) throws IOException {
    PosixFileAttributes attrs =
        Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return PosixFilePermissions.toString(attrs.permissions());
  }
}
