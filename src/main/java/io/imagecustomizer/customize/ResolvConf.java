package io.imagecustomizer.customize;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The image's /etc/resolv.conf swapped for the host's while packages install and scripts run, so
 * name resolution works in the chroot, then put back exactly as it was (file, symlink or absent).
 */
final class ResolvConf implements AutoCloseable {
  static final String PATH = "/etc/resolv.conf";
  private static final String RESOLVED_UNIT =
      "/etc/systemd/system/multi-user.target.wants/systemd-resolved.service";
  private static final String RESOLVED_STUB = "../run/systemd/resolve/stub-resolv.conf";

  private final ImageRoot root;
  private final @Nullable Path linkTarget;
  private final byte @Nullable [] content;
  private final @Nullable Set<PosixFilePermission> mode;
  private boolean restored;

  private ResolvConf(
      ImageRoot root,
      @Nullable Path linkTarget,
      byte @Nullable [] content,
      @Nullable Set<PosixFilePermission> mode) {
    this.root = root;
    this.linkTarget = linkTarget;
    this.content = content;
    this.mode = mode;
  }

  /** Remembers the image's resolv.conf and puts the host's content in its place. */
  static ResolvConf useHosts(ImageRoot root, Path hostResolvConf) {
    Path link = root.resolveLink(PATH);
    try {
      ResolvConf saved;
      if (Files.isSymbolicLink(link)) {
        saved = new ResolvConf(root, Files.readSymbolicLink(link), null, null);
      } else if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        saved =
            new ResolvConf(
                root, null, Files.readAllBytes(link), Files.getPosixFilePermissions(link));
      } else {
        saved = new ResolvConf(root, null, null, null);
      }
      Files.deleteIfExists(link);
      byte[] hosts =
          Files.exists(hostResolvConf) ? Files.readAllBytes(hostResolvConf) : new byte[0];
      root.write(PATH, hosts, null);
      return saved;
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot put the host's resolv.conf into the image", e);
    }
  }

  /** Puts the image's own resolv.conf back; running it twice does nothing more. */
  @Override
  public void close() {
    if (restored) {
      return;
    }
    restored = true;
    Path link = root.resolveLink(PATH);
    try {
      Files.deleteIfExists(link);
      if (linkTarget != null) {
        Files.createSymbolicLink(link, linkTarget);
      } else if (content != null) {
        root.write(PATH, content, mode);
      } else if (root.exists(RESOLVED_UNIT)) {
        Files.createSymbolicLink(link, Path.of(RESOLVED_STUB));
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot restore the image's resolv.conf", e);
    }
  }
}
