package io.imagecustomizer.run;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.resource.CleanupStack;
import io.imagecustomizer.resource.Sha256;
import io.imagecustomizer.resource.TempDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an output under a temporary name beside it and renames it only once complete, so a failed
 * or interrupted run never leaves a half-written file that looks valid: the temporary one goes on
 * failure and on SIGINT/SIGTERM. Every output comes with its SHA-256 in {@code sha256sum -c} form:
 * {@code <output>.sha256} beside a file, {@code SHA256SUMS} inside a folder.
 */
public final class Publish {
  private static final Logger LOG = LoggerFactory.getLogger(Publish.class);
  private static final long MIB = 1024 * 1024;

  private Publish() {}

  /** The checksum file of an output file. */
  public static Path checksumFile(Path output) {
    return output.resolveSibling(output.getFileName() + ".sha256");
  }

  /** A single output file, and its {@code .sha256} beside it. */
  public static Artifact file(Path output, Consumer<Path> writer) {
    Path partial = Workspace.partial(output);
    Path sums = checksumFile(output);
    Path sumsPartial = Workspace.partial(sums);
    createParent(output);
    try (CleanupStack writing = new CleanupStack()) {
      writing.push("partial output " + partial, () -> Files.deleteIfExists(partial));
      writer.accept(partial);
      String sha256 = Sha256.of(partial);
      Artifact artifact = new Artifact(output, Files.size(partial), sha256);
      writing.push("partial output " + sumsPartial, () -> Files.deleteIfExists(sumsPartial));
      Files.writeString(
          sumsPartial,
          Sha256.line(sha256, output.getFileName().toString()),
          StandardCharsets.UTF_8);
      // An old checksum must not stand beside the new output, even if the run stops between the
      // two renames: no checksum says "not checked", a wrong one says "corrupt".
      Files.deleteIfExists(sums);
      move(partial, output);
      move(sumsPartial, sums);
      LOG.info("Wrote {}: {} MiB, sha256 {}", output, mib(artifact.size()), sha256);
      return artifact;
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write " + output, e);
    }
  }

  /**
   * An output folder (pxe-dir), with a {@link Sha256#SUMS} file listing every file in it: what was
   * there before is replaced only once the new one is done.
   *
   * @return the files written, {@link Sha256#SUMS} not included
   */
  public static List<Artifact> folder(Path output, Consumer<Path> writer) {
    Path partial = Workspace.partial(output);
    createParent(output);
    try (CleanupStack writing = new CleanupStack()) {
      writing.push("partial output " + partial, () -> TempDir.deleteTree(partial));
      TempDir.deleteTree(partial);
      writer.accept(partial);
      List<Artifact> files =
          Sha256.writeSums(partial).stream()
              .map(file -> new Artifact(output.resolve(file.name()), file.size(), file.sha256()))
              .toList();
      TempDir.deleteTree(output);
      move(partial, output);
      LOG.info(
          "Wrote {}: {} files, {} MiB, checksums in {}",
          output,
          files.size(),
          mib(files.stream().mapToLong(Artifact::size).sum()),
          Sha256.SUMS);
      return files;
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write " + output, e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String mib(long bytes) {
    return String.format("%.1f", bytes / (double) MIB);
  }

  private static void createParent(Path output) {
    Path parent = output.getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new ImageCustomizerException(
          "cannot create " + parent + ": " + e.getMessage(),
          "check the path and its permissions",
          e);
    }
  }
}
