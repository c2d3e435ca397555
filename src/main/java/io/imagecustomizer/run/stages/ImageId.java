package io.imagecustomizer.run.stages;

import io.imagecustomizer.config.LoadedConfig;
import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The id a run gives the image ({@code IMAGE_UUID} of the release file, {@code imageUuid} of the
 * history): random, or, when SOURCE_DATE_EPOCH asks for reproducible output, made from what the run
 * is given, so that the same input, config and date give the same id and any other run another: a
 * name-based UUID (version 5 layout) over SHA-256 of the date, the input image's content and the
 * text of every config of the chain. Files a config names are not read: with reproducible builds
 * the date changes whenever the sources do.
 */
final class ImageId {
  private static final Logger LOG = LoggerFactory.getLogger(ImageId.class);

  private ImageId() {}

  static String of(RunSettings settings) {
    Instant date = settings.sourceDate();
    if (date == null) {
      return UUID.randomUUID().toString();
    }
    LOG.info("Deriving the image's id from SOURCE_DATE_EPOCH, the input's content and the config");
    MessageDigest digest = sha256();
    digest.update(
        ("SOURCE_DATE_EPOCH=" + date.getEpochSecond() + "\n").getBytes(StandardCharsets.UTF_8));
    digest.update(contentHash(settings.inputImage()));
    for (LoadedConfig member : settings.chain().members()) {
      digest.update(contentHash(member.file()));
    }
    return nameBased(digest.digest()).toString();
  }

  /** The first 16 bytes of a hash as a UUID, marked version 5 and RFC 4122's variant. */
  static UUID nameBased(byte[] hash) {
    byte[] bytes = Arrays.copyOf(hash, 16);
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x50);
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new UUID(buffer.getLong(), buffer.getLong());
  }

  private static byte[] contentHash(Path file) {
    MessageDigest digest = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + file + " to derive the image's id", e);
    }
    return digest.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
