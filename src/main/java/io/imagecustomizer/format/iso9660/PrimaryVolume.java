package io.imagecustomizer.format.iso9660;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The primary volume descriptor of an ISO 9660 image (ECMA-119 §8.4): the first descriptor, in
 * sector 16, of type 1 with the standard identifier {@code CD001}.
 *
 * @param bytes the size the volume declares: its block count times its block size
 */
public record PrimaryVolume(long bytes) {
  private static final int SECTOR = 2048;
  private static final long OFFSET = 16L * SECTOR;

  /** The descriptor, or none when the file is not an ISO 9660 image. */
  public static Optional<PrimaryVolume> read(FileChannel channel) throws IOException {
    ByteBuffer pvd = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
    channel.read(pvd, OFFSET);
    String magic = new String(pvd.array(), 1, 5, StandardCharsets.ISO_8859_1);
    if (pvd.position() < SECTOR || pvd.get(0) != 1 || !magic.equals("CD001")) {
      return Optional.empty();
    }
    // both-endian fields: the little-endian half comes first
    long blocks = Integer.toUnsignedLong(pvd.getInt(80));
    long blockSize = Short.toUnsignedLong(pvd.getShort(128));
    return Optional.of(new PrimaryVolume(blocks * blockSize));
  }
}
