package io.imagecustomizer.resource;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run per build folder: a lock on {@code .imagecustomizer.lock} in it, holding the PID of the
 * run. The kernel drops the lock when the process ends, however it ends, so the lock of a killed
 * run is simply taken over. The file itself stays: deleting it would let a run that opened the old
 * file and a run that creates a new one both think they hold the lock.
 */
public final class BuildDirLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BuildDirLock.class);
  static final String FILE_NAME = ".imagecustomizer.lock";

  /**
   * Lock files this JVM holds. The lock is a POSIX record lock, which belongs to the process and
   * which the kernel drops when any channel of the process on that file is closed; so a second run
   * in the same JVM must be refused here, before it opens the file.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private BuildDirLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code buildDir}, which must exist.
   *
   * @throws ImageCustomizerException when another run holds it, naming that run's PID
   */
  public static BuildDirLock take(Path buildDir) {
    Path file = buildDir.toAbsolutePath().normalize().resolve(FILE_NAME);
    long pid = ProcessHandle.current().pid();
    if (!HELD.add(file)) {
      throw inUse(buildDir, pid);
    }
    @Nullable FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        String holder = read(channel);
        throw inUse(buildDir, holder.isEmpty() ? "?" : holder);
      }
      String previous = read(channel);
      if (!previous.isEmpty()) {
        LOG.info("run PID {} that used {} has ended; taking over", previous, buildDir);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      return new BuildDirLock(file, channel, lock);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel, e);
      HELD.remove(file);
      if (e instanceof IOException io) {
        throw ImageCustomizerException.io("cannot lock the build dir " + buildDir, io);
      }
      throw (RuntimeException) e;
    }
  }

  private static void closeQuietly(@Nullable FileChannel channel, Exception failure) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(32);
    channel.read(buffer, 0);
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
  }

  private static ImageCustomizerException inUse(Path buildDir, Object pid) {
    return new ImageCustomizerException(
        "build dir " + buildDir + " is in use by run PID " + pid,
        "wait for that run to end, or give this run its own --build-dir");
  }

  /** Empties the PID, then releases the lock. */
  @Override
  public void close() throws IOException {
    try {
      channel.truncate(0);
      lock.release();
      channel.close();
    } finally {
      HELD.remove(file);
    }
  }
}
