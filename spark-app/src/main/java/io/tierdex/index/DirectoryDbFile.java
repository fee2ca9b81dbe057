package io.tierdex.index;

import io.tierdex.gufi.GufiText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes one directory's {@code db.db} from given rows instead of a walk: what the
 * benchmarks use to build large indexes of trees that exist only as numbers. One per
 * thread; the rows are regular files with GUFI's values for the fields not given.
 */
public final class DirectoryDbFile {
  private static final int FILE = 0100644;
  private static final int DIRECTORY = 0040755;

  private final DirectoryDbWriter writer = new DirectoryDbWriter(GufiSchema.load());

  /** A regular file of the directory. */
  public record Entry(String name, long inode, long size, long mtime, long ctime, long uid,
      long gid) {}

  public void write(Path db, String dirName, long dirInode, long parentInode,
      List<Entry> entries) throws IOException {
    DirectorySummary summary = new DirectorySummary();
    for (Entry e : entries) {
      EntryStat st = new EntryStat(e.inode(), FILE, 1, e.uid(), e.gid(), e.size(), 4096,
          (e.size() + 511) / 512, e.mtime(), e.mtime(), e.ctime());
      writer.addEntry(GufiText.quote(e.name()), 'f', st, "", null);
      summary.add('f', st, 0);
    }
    EntryStat dir = new EntryStat(dirInode, DIRECTORY, 2, 0, 0, 4096, 4096, 8, 0, 0, 0);
    ByteBuffer image = writer.finish(summary, GufiText.quote(dirName), dir,
        Long.toUnsignedString(parentInode), null);
    try (FileChannel out = FileChannel.open(db, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      while (image.hasRemaining()) {
        out.write(image);
      }
    }
  }
}
