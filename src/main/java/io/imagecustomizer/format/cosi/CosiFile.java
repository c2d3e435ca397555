package io.imagecustomizer.format.cosi;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A COSI file: an uncompressed tar without a common root folder, {@code metadata.json} first (a
 * reader finds it without reading the images), then the compressed partition images under {@code
 * images/}.
 */
public final class CosiFile {
  public static final String METADATA = "metadata.json";

  /** The folder of the tar the images are in. */
  public static final String IMAGES = "images/";

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private CosiFile() {}

  /** The metadata as written into the tar. */
  public static byte[] json(CosiMetadata metadata) {
    return JSON.writeValueAsBytes(metadata);
  }

  /**
   * Describes one compressed image for the metadata.
   *
   * @param name its name under {@link #IMAGES}
   */
  public static CosiMetadata.ImageFile describe(Path compressed, String name, long uncompressed) {
    try (InputStream in = Files.newInputStream(compressed)) {
      MessageDigest sha384 = MessageDigest.getInstance("SHA-384");
      try (DigestInputStream digest = new DigestInputStream(in, sha384)) {
        digest.transferTo(OutputStream.nullOutputStream());
      }
      return new CosiMetadata.ImageFile(
          IMAGES + name,
          Files.size(compressed),
          uncompressed,
          HexFormat.of().formatHex(sha384.digest()));
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + compressed, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-384", e);
    }
  }

  /**
   * Writes the tar.
   *
   * @param files each image's path in the tar ({@code images/...}) and the file it comes from
   */
  public static void write(Path output, CosiMetadata metadata, Map<String, Path> files) {
    try (OutputStream file = Files.newOutputStream(output);
        TarArchiveOutputStream tar =
            new TarArchiveOutputStream(new BufferedOutputStream(file, 1 << 20))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      byte[] json = json(metadata);
      TarArchiveEntry entry = entry(METADATA, json.length);
      tar.putArchiveEntry(entry);
      tar.write(json);
      tar.closeArchiveEntry();
      for (Map.Entry<String, Path> image : files.entrySet()) {
        tar.putArchiveEntry(entry(image.getKey(), Files.size(image.getValue())));
        try (InputStream in = Files.newInputStream(image.getValue())) {
          in.transferTo(tar);
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write " + output, e);
    }
  }

  private static TarArchiveEntry entry(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    // Read-only, as upstream writes them: a reader has no reason to change what it unpacks.
    entry.setMode(0100400);
    return entry;
  }
}
