package io.imagecustomizer.image;

import io.imagecustomizer.config.AdditionalFile;
import io.imagecustomizer.config.FileMode;
import io.imagecustomizer.config.LoadedConfig;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.resource.TempDir;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The mounted root filesystem of an image, seen from the host. Paths inside the image are resolved
 * the way the image's own kernel would resolve them after a chroot: absolute symlinks restart at
 * the image root and {@code ..} stops there. So a symlink in the image ({@code /opt/escape ->
 * /etc}) can never make a write land on the host.
 */
public final class ImageRoot {
  private static final int MAX_LINKS = 40;
  private static final Set<PosixFilePermission> DEFAULT_FILE =
      PosixFilePermissions.fromString("rw-r--r--");

  /** Mode of folders created on the way to a file. */
  public static final Set<PosixFilePermission> DEFAULT_DIR =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private final Path root;

  public ImageRoot(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The host folder the image is mounted at. */
  public Path hostPath() {
    return root;
  }

  /**
   * The host path of {@code imagePath} (absolute, as seen inside the image), with every symlink on
   * the way followed inside the image. The last component need not exist.
   */
  public Path resolve(String imagePath) {
    Deque<String> pending = new ArrayDeque<>(components(imagePath));
    Deque<String> resolved = new ArrayDeque<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String part = pending.removeFirst();
      if (part.equals("..")) {
        resolved.pollLast();
        continue;
      }
      Path candidate = join(resolved).resolve(part);
      if (Files.isSymbolicLink(candidate)) {
        if (++links > MAX_LINKS) {
          throw new ImageCustomizerException(
              "too many symlinks while resolving " + imagePath + " inside the image",
              "check the image for a symlink loop");
        }
        String target = readLink(candidate);
        if (target.startsWith("/")) {
          resolved.clear();
        }
        List<String> targetParts = components(target);
        for (int i = targetParts.size() - 1; i >= 0; i--) {
          pending.addFirst(targetParts.get(i));
        }
        continue;
      }
      resolved.addLast(part);
    }
    return join(resolved);
  }

  /**
   * The host path of {@code imagePath} without following a symlink in its last component, for
   * working on the link itself.
   */
  public Path resolveLink(String imagePath) {
    List<String> parts = components(imagePath);
    if (parts.isEmpty()) {
      return root;
    }
    return resolve(parentOf(imagePath)).resolve(parts.get(parts.size() - 1));
  }

  /** Creates a folder and its missing parents inside the image; returns its host path. */
  public Path createDirectories(String imagePath, Set<PosixFilePermission> mode) {
    Path current = root;
    StringBuilder soFar = new StringBuilder();
    for (String part : components(imagePath)) {
      soFar.append('/').append(part);
      current = resolve(soFar.toString());
      if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        try {
          Files.createDirectories(current);
          Files.setPosixFilePermissions(current, mode);
        } catch (FileAlreadyExistsException e) {
          throw new ImageCustomizerException(
              soFar + " exists in the image and is not a folder", null, e);
        } catch (IOException e) {
          throw failed("create folder " + soFar, e);
        }
      }
    }
    return current;
  }

  /**
   * Writes a file inside the image, replacing it and creating missing parent folders (0755); the
   * mode defaults to 0644.
   */
  public Path write(String imagePath, byte[] content, @Nullable Set<PosixFilePermission> mode) {
    return copy(imagePath, new ByteArrayInputStream(content), mode == null ? DEFAULT_FILE : mode);
  }

  /** Copies a host file into the image, keeping its mode unless {@code mode} is given. */
  public Path copyFile(Path source, String imagePath, @Nullable Set<PosixFilePermission> mode) {
    try (InputStream in = Files.newInputStream(source)) {
      return copy(imagePath, in, mode == null ? Files.getPosixFilePermissions(source) : mode);
    } catch (IOException e) {
      throw failed("read " + source, e);
    }
  }

  private Path copy(String imagePath, InputStream content, Set<PosixFilePermission> mode) {
    createDirectories(parentOf(imagePath), DEFAULT_DIR);
    Path target = resolve(imagePath);
    createDirectories(root.relativize(target.getParent()).toString(), DEFAULT_DIR);
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new ImageCustomizerException(
          imagePath + " is a folder in the image; cannot write a file there",
          "choose a destination that names a file");
    }
    try (OutputStream out =
        Files.newOutputStream(
            target,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      content.transferTo(out);
    } catch (IOException e) {
      throw failed("write " + imagePath, e);
    }
    setMode(target, mode);
    return target;
  }

  /**
   * Places one of the config's additional files: copied from its source (resolved against the
   * config's folder; mode kept unless {@code permissions}) or written from its content.
   */
  public Path add(AdditionalFile file, LoadedConfig config) {
    Set<PosixFilePermission> mode = FileMode.permissionsOf(file.permissions(), null);
    if (file.source() != null) {
      return copyFile(config.resolve(file.source()), file.destination(), mode);
    }
    return write(file.destination(), file.content().getBytes(StandardCharsets.UTF_8), mode);
  }

  /** Reads a file of the image, following symlinks inside the image. */
  public String readString(String imagePath) {
    try {
      return Files.readString(resolve(imagePath));
    } catch (IOException e) {
      throw failed("read " + imagePath + " from the image", e);
    }
  }

  public boolean exists(String imagePath) {
    return Files.exists(resolve(imagePath), LinkOption.NOFOLLOW_LINKS);
  }

  /** Deletes a file of the image (a symlink itself, not its target); absent is fine. */
  public void delete(String imagePath) {
    try {
      Files.deleteIfExists(resolveLink(imagePath));
    } catch (IOException e) {
      throw failed("delete " + imagePath + " from the image", e);
    }
  }

  /** Deletes a file or a folder tree of the image, links themselves, never their targets. */
  public void deleteTree(String imagePath) {
    TempDir.deleteTree(resolveLink(imagePath));
  }

  /** Moves a file within the image (used for atomic replacement). */
  public void move(String from, String to) {
    try {
      Files.move(resolve(from), resolve(to), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw failed("move " + from + " to " + to, e);
    }
  }

  private static String parentOf(String imagePath) {
    List<String> parts = components(imagePath);
    if (parts.isEmpty()) {
      throw new ImageCustomizerException("cannot write to the image's root folder itself");
    }
    return "/" + String.join("/", parts.subList(0, parts.size() - 1));
  }

  private static void setMode(Path target, Set<PosixFilePermission> mode) {
    try {
      Files.setPosixFilePermissions(target, mode);
    } catch (IOException e) {
      throw failed("set the mode of " + target, e);
    }
  }

  private String readLink(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      throw failed("read the symlink " + root.relativize(link), e);
    }
  }

  private Path join(Deque<String> parts) {
    Path path = root;
    for (String part : parts) {
      path = path.resolve(part);
    }
    return path;
  }

  private static List<String> components(String path) {
    return Arrays.stream(path.split("/")).filter(p -> !p.isEmpty() && !p.equals(".")).toList();
  }

  private static ImageCustomizerException failed(String what, IOException e) {
    return new ImageCustomizerException("cannot " + what + ": " + e.getMessage(), null, e);
  }
}
