package io.imagecustomizer.config;

/**
 * The size of the hash tree {@code veritysetup format} writes with the settings this tool uses (as
 * upstream): sha256, 4096-byte data and hash blocks, a superblock first. The rules check a new hash
 * partition with it before any work, the verity stage an existing one.
 */
public final class VerityHashTree {
  public static final int BLOCK = 4096;
  // A 4096-byte hash block holds 128 sha256 digests of the level below.
  private static final int DIGESTS_PER_BLOCK_BITS = 7;

  private VerityHashTree() {}

  /**
   * Bytes of the hash device for {@code dataBytes} of data: the superblock's block, then each level
   * of the tree, as libcryptsetup counts them.
   */
  public static long bytes(long dataBytes) {
    long blocks = dataBytes / BLOCK;
    int levels = 0;
    while (levels * DIGESTS_PER_BLOCK_BITS < 64
        && ((blocks - 1) >>> (levels * DIGESTS_PER_BLOCK_BITS)) != 0) {
      levels++;
    }
    long hashBlocks = 1;
    for (int level = 1; level <= levels; level++) {
      int shift = level * DIGESTS_PER_BLOCK_BITS;
      hashBlocks += (blocks + (1L << shift) - 1) >>> shift;
    }
    return hashBlocks * BLOCK;
  }

  /**
   * For inline verity (data and hash tree on one partition of {@code partitionBytes}): the bytes of
   * the filesystem, the largest whole MiB whose hash tree fits behind it (as upstream sizes it).
   * The tree starts right after, at this offset; zero when not even 1 MiB fits.
   */
  public static long inlineDataBytes(long partitionBytes) {
    long mib = 1024L * 1024;
    long low = 0;
    long high = partitionBytes / mib;
    while (low < high) {
      long mid = (low + high + 1) / 2;
      if (mid * mib + bytes(mid * mib) <= partitionBytes) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low * mib;
  }
}
