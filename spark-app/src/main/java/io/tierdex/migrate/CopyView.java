package io.tierdex.migrate;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The copy being written, mapped a chunk at a time to checksum what landed without reading
 * it into a buffer. Opened through {@code /proc/self/fd}, so it is the very file the mover
 * created, whatever its name is now. Each mapping is unmapped as soon as it is summed: a
 * copy of many gigabytes must not hold its mappings until a garbage collection.
 */
final class CopyView implements AutoCloseable {
  private static final sun.misc.Unsafe UNSAFE = unsafe();

  private final FileChannel channel;

  CopyView(int fd) throws IOException {
    channel = FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.READ);
  }

  /** Adds bytes {@code [from, from + length)} of the copy to {@code sum}. */
  void sum(long from, long length, Checksum.Sum sum) throws IOException {
    MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, from, length);
    try {
      sum.update(map);
    } finally {
      UNSAFE.invokeCleaner(map);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private static sun.misc.Unsafe unsafe() {
    try {
      Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return (sun.misc.Unsafe) f.get(null);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
