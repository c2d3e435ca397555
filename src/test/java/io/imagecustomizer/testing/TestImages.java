package io.imagecustomizer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The test images of tools/testimage, built on first use and cached outside the repository in
 * {@code images/<hash>/}, the hash covering every file of tools/testimage, so later runs (and CI
 * reruns) reuse them and a changed recipe builds afresh.
 */
public final class TestImages {
  private static final Path RECIPE = Path.of("tools/testimage");
  private static final Duration UNUSED = Duration.ofDays(1);
  private static final Path CACHE =
      Path.of(
          System.getenv()
              .getOrDefault("IMAGECUSTOMIZER_TEST_CACHE", "/var/cache/imagecustomizer-test"));

  /** The layouts build-base-image.sh makes; see tools/testimage/README.md. */
  public enum Variant {
    /** Azure Linux layout: ESP + ext4 root, grub config in /boot/grub2. */
    AZL("raw,qcow2"),
    /** The same with /boot on its own ext4 partition: ESP + /boot + root. */
    AZL_BOOTPART("qcow2,vhdx"),
    /** Debian's own layout: /boot/grub, /boot/initrd.img-<ver>, Debian's signed grub. */
    DEBIAN("qcow2");

    /**
     * The formats the tests use; only these are built, since every format of every layout costs
     * time on a fresh machine and gigabytes in the cache.
     */
    private final String formats;

    Variant(String formats) {
      this.formats = formats;
    }

    String option() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private TestImages() {}

  public static boolean canBuild() {
    return "root".equals(System.getProperty("user.name"))
        && Files.exists(Path.of("/dev/loop-control"));
  }

  /** The Azure-Linux-layout base image (ESP + ext4 root) as raw, qcow2, vhd or vhdx. */
  public static Path base(String format) {
    return image(Variant.AZL, format);
  }

  /** The same OS with /boot on its own partition (ESP + ext4 /boot + ext4 root). */
  public static Path bootPartition(String format) {
    return image(Variant.AZL_BOOTPART, format);
  }

  /** The variant's image as raw, qcow2, vhd or vhdx; all four share one partition table. */
  public static Path image(Variant variant, String format) {
    if (!List.of(variant.formats.split(",")).contains(format)) {
      throw new IllegalArgumentException(
          "the "
              + variant.option()
              + " test image is built as "
              + variant.formats
              + " only; add "
              + format
              + " to TestImages.Variant");
    }
    return built(variant).resolve(variant.option() + "." + format);
  }

  /** The kernel inside the variant's image, for direct {@code -kernel} boots. */
  public static Path kernel(Variant variant) {
    return built(variant).resolve(variant.option() + ".vmlinuz");
  }

  /** The dracut initramfs inside the variant's image. */
  public static Path initrd(Variant variant) {
    return built(variant).resolve(variant.option() + ".initrd");
  }

  private static synchronized Path built(Variant variant) {
    Path dir = CACHE.resolve("images").resolve(recipeHash());
    try {
      Files.createDirectories(dir);
      // Other JVMs (a second checkout, CI) may build the same variant at the same time.
      try (FileChannel channel =
              FileChannel.open(
                  dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        boolean complete =
            Files.exists(dir.resolve(variant.option() + ".initrd"))
                && Stream.of(variant.formats.split(","))
                    .allMatch(f -> Files.exists(dir.resolve(variant.option() + "." + f)));
        if (!complete) {
          build(dir, variant);
          pruneOtherRecipes(dir);
        }
      }
      Files.setLastModifiedTime(dir, FileTime.from(Instant.now()));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void build(Path dir, Variant variant) throws IOException {
    List<String> argv =
        List.of(
            RECIPE.resolve("build-base-image.sh").toString(),
            dir.toString(),
            "--variant",
            variant.option(),
            "--name",
            variant.option(),
            "--formats",
            variant.formats);
    Process build = new ProcessBuilder(argv).inheritIO().start();
    try {
      if (build.waitFor() != 0) {
        throw new IllegalStateException(
            "building the " + variant.option() + " test image failed; see the test output");
      }
    } catch (InterruptedException e) {
      build.destroy();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building a test image", e);
    }
  }

  /** Images of older recipes take gigabytes; those nobody used for a day go. */
  private static void pruneOtherRecipes(Path current) throws IOException {
    Instant cutoff = Instant.now().minus(UNUSED);
    try (Stream<Path> dirs = Files.list(current.getParent())) {
      for (Path dir : dirs.filter(d -> !d.equals(current)).toList()) {
        if (Files.getLastModifiedTime(dir).toInstant().isBefore(cutoff)) {
          deleteTree(dir);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(file);
      }
    }
  }

  private static String recipeHash() {
    try (Stream<Path> files = Files.walk(RECIPE)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      // The README does not change what the script builds.
      for (Path file :
          files
              .filter(f -> Files.isRegularFile(f) && !f.toString().endsWith(".md"))
              .sorted()
              .toList()) {
        digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
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
