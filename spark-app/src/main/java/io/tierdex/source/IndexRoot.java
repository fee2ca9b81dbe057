package io.tierdex.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The check every command makes of the index it is given, before Spark starts work. */
public final class IndexRoot {
  private IndexRoot() {}

  /**
   * {@code index}, absolute and normalized (as the gufi source then spells it in
   * {@code path}), if it holds a db.db at its top or one level down (an INDEX_PARENT).
   */
  public static String check(Path index) {
    if (!Files.isDirectory(index)) {
      throw new IllegalArgumentException("index " + index + " is not a directory");
    }
    Path root = index.toAbsolutePath().normalize();
    if (Files.isRegularFile(root.resolve("db.db"))) {
      return root.toString();
    }
    try (var children = Files.list(root)) {
      if (children.anyMatch(c -> Files.isRegularFile(c.resolve("db.db")))) {
        return root.toString();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list index " + index + ": " + e.getMessage());
    }
    throw new IllegalArgumentException(index + " holds no index (no db.db); give the directory"
        + " that tierdex index or gufi_dir2index wrote, e.g. INDEX_PARENT/<source name>");
  }
}
