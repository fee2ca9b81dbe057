package io.tierdex.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/** Reading source trees and the index trees tierdex writes, for assertions. */
public final class IndexFiles {
  public static final String DB = "db.db";

  private IndexFiles() {}

  /** The directories of a tree as paths relative to {@code root} ("." for the root). */
  public static Set<String> directories(Path root) throws IOException {
    Set<String> dirs = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .forEach(p -> dirs.add(relative(root, p)));
    }
    return dirs;
  }

  /** The index directories of {@code indexRoot} that hold a db.db. */
  public static Set<String> directoriesWithDb(Path indexRoot) throws IOException {
    Set<String> withDb = new TreeSet<>();
    for (String dir : directories(indexRoot)) {
      if (Files.isRegularFile(indexRoot.resolve(dir).resolve(DB))) {
        withDb.add(dir);
      }
    }
    return withDb;
  }

  /** The names in the {@code entries} table of one db.db, opened read-only. */
  public static Set<String> entryNames(Path db) throws SQLException {
    return strings(db, "SELECT name FROM entries");
  }

  /** The single-column results of {@code sql} on one db.db, opened read-only. */
  public static Set<String> strings(Path db, String sql) throws SQLException {
    if (!Files.isRegularFile(db)) {
      throw new AssertionError("expected an index database at " + db);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    Set<String> out = new TreeSet<>();
    try (Connection c = config.createConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** One number from one db.db, opened read-only. */
  public static long number(Path db, String sql) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    try (Connection c = config.createConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /** Every regular file below {@code root} with its bytes, keyed by relative path. */
  public static Map<String, byte[]> fileContents(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          files.put(relative(root, p), Files.readAllBytes(p));
        }
      }
    }
    return files;
  }

  /** Names in the index parent left by an unfinished or failed run. */
  public static Set<String> leftovers(Path indexParent) throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> list = Files.list(indexParent)) {
      list.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(".tierdex-new.") || n.startsWith(".tierdex-old."))
          .forEach(names::add);
    }
    return names;
  }

  public static String relative(Path root, Path p) {
    String rel = root.relativize(p).toString();
    return rel.isEmpty() ? "." : rel;
  }

  /** Creates {@code file} (and its parent directories) holding {@code text}. */
  public static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }
}
