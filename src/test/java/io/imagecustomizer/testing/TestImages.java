package io.imagecustomizer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The test images of tools/testimage, built on first use and cached outside the repository, keyed
 * by a hash of the recipe, so later runs (and CI reruns) reuse them.
 */
public final class TestImages {
  private static final Path RECIPE = Path.of("tools/testimage");
  private static final Path CACHE =
      Path.of(
          System.getenv()
              .getOrDefault("IMAGECUSTOMIZER_TEST_CACHE", "/var/cache/imagecustomizer-test"));

  private TestImages() {}

  public static boolean canBuild() {
    return "root".equals(System.getProperty("user.name"))
        && Files.exists(Path.of("/dev/loop-control"));
  }

  /** The Azure-Linux-layout base image (ESP + ext4 root) as raw, qcow2, vhd or vhdx. */
  public static Path base(String format) {
    return image("base", format);
  }

  /** The same OS with /boot on its own partition (ESP + ext4 /boot + ext4 root). */
  public static Path bootPartition(String format) {
    return image("bootpart", format, "--boot-partition");
  }

  private static synchronized Path image(String name, String format, String... options) {
    Path dir = CACHE.resolve("images").resolve(recipeHash());
    Path image = dir.resolve(name + "." + format);
    if (!Files.exists(image)) {
      build(dir, name, "raw,qcow2,vhd,vhdx", options);
    }
    return image;
  }

  private static void build(Path dir, String name, String formats, String... options) {
    try {
      Files.createDirectories(dir);
      List<String> argv =
          new ArrayList<>(
              List.of(
                  RECIPE.resolve("build-base-image.sh").toString(),
                  dir.toString(),
                  "--name",
                  name,
                  "--hostname",
                  "testimage",
                  "--formats",
                  formats));
      argv.addAll(List.of(options));
      Process build = new ProcessBuilder(argv).inheritIO().start();
      if (build.waitFor() != 0) {
        throw new IllegalStateException("building the test image failed; see the test output");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String recipeHash() {
    try (Stream<Path> files = Files.walk(RECIPE)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        digest.update(file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        digest.update(Files.readAllBytes(file));
      }
      return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SHA-256 of a file, to prove inputs are left untouched. */
  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
