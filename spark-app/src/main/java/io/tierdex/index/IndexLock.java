package io.tierdex.index;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps two {@code tierdex index} runs from writing into one index parent at once. The
 * lock is the kernel's, so a crashed run leaves nothing to clean up.
 */
final class IndexLock implements AutoCloseable {
  static final String FILE = ".tierdex-index.lock";
  private final FileChannel channel;
  private final FileLock lock;

  private IndexLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static IndexLock acquire(Path indexParent) throws IndexException {
    Path file = indexParent.resolve(FILE);
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (AccessDeniedException e) {
      throw IndexException.failed("cannot write into index parent " + indexParent
          + ": Permission denied (choose a directory you can write, or run as its owner)");
    } catch (IOException e) {
      throw IndexException.failed("cannot write into index parent " + indexParent + ": " + e);
    }
    FileLock lock = null;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException | IOException e) {
      // held by this JVM, or the file system refuses locks: both mean we cannot go on
    }
    if (lock == null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already failing
      }
      throw IndexException.failed("another tierdex index is writing into " + indexParent
          + " (it holds " + file + "); wait for it to finish, or stop it");
    }
    return new IndexLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
