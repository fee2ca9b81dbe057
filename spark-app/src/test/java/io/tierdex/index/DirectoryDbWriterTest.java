package io.tierdex.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.sqlite.SqliteFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * The page writer against the SQLite-backed writer it replaced: for the same calls, the
 * file it builds passes SQLite's integrity check (through sqlite-jdbc and the sqlite3
 * shell) and reads back exactly the old rows, storage classes included. Files that fit
 * one page per table must even be byte-identical, as SQLite lays out appended rows the
 * same way. Both writers are reused across the tests, as a worker thread reuses one.
 */
class DirectoryDbWriterTest {
  private static final int PAGE = 4096;
  private static final List<String> QUERIES = List.of(
      "SELECT rowid, * FROM entries ORDER BY rowid",
      "SELECT rowid, * FROM summary ORDER BY rowid",
      "SELECT rowid, * FROM xattrs_pwd ORDER BY rowid",
      "SELECT * FROM pentries",
      "SELECT * FROM vrpentries");

  @TempDir static Path tmp;
  static GufiSchema schema;
  static DirectoryDbWriter pages;
  static SqliteReferenceWriter sqlite;
  static int files;

  @BeforeAll
  static void writers() throws SQLException {
    schema = GufiSchema.load();
    pages = new DirectoryDbWriter(schema);
    sqlite = new SqliteReferenceWriter(schema);
  }

  @AfterAll
  static void close() throws SQLException {
    sqlite.close();
  }

  @Test
  void emptyDirectory() throws Exception {
    Images images = write(t -> {});
    assertArrayEquals(images.sqlite, images.pages);
    assertEquals(schema.emptyDatabase().length, images.pages.length);
  }

  @Test
  void oneEntry() throws Exception {
    Images images = write(t -> t.file("a.txt", stat(1234, 0100644, 6)));
    assertArrayEquals(images.sqlite, images.pages);
  }

  @Test
  void awkwardNamesAndIntegerWidths() throws Exception {
    String[] names = {"it''s.txt", "new\nline.txt", "tab\there", "h\u00e9llo w\u00f6rld",
        "\u65e5\u672c\u8a9e", "emoji \ud83d\ude00", "lone \ud800 surrogate", "", "%q\"'"};
    // Each side of every boundary between SQLite's integer widths, and 0/1 (no body bytes).
    long[] widths = {0, 1, -1, 2, 127, 128, -128, -129, 32767, 32768, -32769, 8388607,
        8388608, 2147483647L, 2147483648L, -2147483649L, 0x7FFF_FFFF_FFFFL, 0x8000_0000_0000L,
        Long.MAX_VALUE, Long.MIN_VALUE};
    Images images = write(t -> {
      for (int i = 0; i < names.length; i++) {
        t.file(names[i], stat(-1L - i, 0100600, widths[i]));
      }
      for (int i = 0; i < widths.length; i++) {
        long w = widths[i];
        t.add("w" + i, 'f', new EntryStat(w, 0100644, w, w, w, w, w, w, w, w, w), "",
            new byte[] {'a', 0x1F});
      }
      t.add("link", 'l', stat(99, 0120777, 9), "it''s \u00fcber/\n", null);
      t.xattr(-5L, "user.q'uote".getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, 2});
    });
    assertArrayEquals(images.sqlite, images.pages);
  }

  @Test
  void linkTargetsAroundTheOverflowThreshold() throws Exception {
    write(t -> {
      t.add("longest", 'l', stat(7, 0120777, 4095), "x".repeat(4095), null);
      for (int n = 3980; n <= 4100; n++) {
        t.add("l" + n, 'l', stat(n, 0120777, n), "y".repeat(n), null);
      }
      t.add("after", 'f', stat(8, 0100644, 1), "", null);
    });
  }

  @Test
  void bigXattrValuesAndNames() throws Exception {
    byte[] tenK = pattern(10 * 1024);
    byte[] twoHundredK = pattern(200 * 1024);
    write(t -> {
      t.add("tagged", 'f', stat(11, 0100644, 5), "", tenK);
      t.xattr(11, "user.ten".getBytes(StandardCharsets.UTF_8), tenK);
      t.xattr(11, "user.big".getBytes(StandardCharsets.UTF_8), twoHundredK);
      t.file("plain", stat(12, 0100644, 5));
      t.xattr(12, "user.small".getBytes(StandardCharsets.UTF_8), new byte[] {'v'});
    }, twoHundredK);
  }

  @Test
  void twentyThousandEntriesNeedTwoInteriorLevels() throws Exception {
    Images images = write(t -> {
      for (int i = 0; i < 20_000; i++) {
        t.file(String.format("a-realistically-long-file-name-%06d.data", i), stat(1_000_000 + i, 0100644, i * 37L));
        if (i % 100 == 0) {
          t.xattr(1_000_000 + i, ("user.n" + i).getBytes(StandardCharsets.UTF_8),
              ("value " + i).getBytes(StandardCharsets.UTF_8));
        }
      }
    });
    // Root page of entries is interior, and so is at least one page below it.
    int root = ((Number) IndexDb.rows(images.file,
        "SELECT rootpage FROM sqlite_master WHERE name = 'entries'").get(0).get("rootpage"))
        .intValue();
    assertEquals(SqliteFormat.INTERIOR_TABLE, images.pages[(root - 1) * PAGE]);
    int child = SqliteFormat.get4(images.pages, (root - 1) * PAGE + 8);
    assertEquals(SqliteFormat.INTERIOR_TABLE, images.pages[(child - 1) * PAGE]);
  }

  @Test
  void nothingOfAnEarlierDirectoryLeaksIntoTheNext() throws Exception {
    write(t -> {
      for (int i = 0; i < 3000; i++) {
        t.file("big-directory-entry-" + i, stat(i, 0100644, i));
      }
      t.xattr(1, new byte[] {'n'}, pattern(9000));
    });
    for (int i = 0; i < 500; i++) {
      EntryStat st = stat(i, 0100644, i);
      pages.addEntry("dropped" + i, 'f', st, "", null);
      sqlite.addEntry("dropped" + i, 'f', st, "", null);
    }
    pages.addXattr(3, new byte[] {'n'}, pattern(9000));
    sqlite.addXattr(3, new byte[] {'n'}, pattern(9000));
    pages.reset();
    sqlite.reset();
    // Unused bytes are zero, as in SQLite's file, not what the dropped rows left there.
    Images images = write(t -> t.file("kept", stat(1, 0100644, 1)));
    assertArrayEquals(images.sqlite, images.pages);
  }

  @Test
  void refusesATemplateInAnotherEncoding() {
    byte[] utf16 = schema.emptyDatabase();
    utf16[59] = 2;
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> DbTemplate.parse(utf16));
    assertTrue(e.getMessage().contains("text encoding"), e.getMessage());
  }

  /** Both writers' files for the same directory; the page writer's is in {@code file}. */
  private record Images(byte[] pages, byte[] sqlite, Path file) {}

  /** The calls TreeWalk makes for one directory, sent to either writer. */
  private interface Directory {
    void fill(Calls t) throws Exception;
  }

  private static Images write(Directory dir) throws Exception {
    return write(dir, null);
  }

  private static Images write(Directory dir, byte[] ownXattrNames) throws Exception {
    EntryStat self = stat(42, 040755, 4096);
    Calls p = new Calls() {
      @Override
      void entry(String n, char type, EntryStat st, String link, byte[] x) throws Exception {
        pages.addEntry(n, type, st, link, x);
      }

      @Override
      public void xattr(long inode, byte[] name, byte[] value) throws Exception {
        pages.addXattr(inode, name, value);
      }
    };
    dir.fill(p);
    java.nio.ByteBuffer view = pages.finish(p.summary, "dir ''x''", self, "41", ownXattrNames);
    byte[] mine = new byte[view.remaining()];
    view.get(mine);
    Calls s = new Calls() {
      @Override
      void entry(String n, char type, EntryStat st, String link, byte[] x) throws Exception {
        sqlite.addEntry(n, type, st, link, x);
      }

      @Override
      public void xattr(long inode, byte[] name, byte[] value) throws Exception {
        sqlite.addXattr(inode, name, value);
      }
    };
    dir.fill(s);
    byte[] theirs = sqlite.finish(s.summary, "dir ''x''", self, "41", ownXattrNames);

    Path mineFile = save(mine);
    Path theirFile = save(theirs);
    assertEquals(0, mine.length % PAGE);
    assertEquals(mine.length / PAGE, SqliteFormat.get4(mine, 28), "in-header page count");
    // Every header field but the page count is what SQLite's commit leaves.
    assertArrayEquals(Arrays.copyOfRange(theirs, 0, 28), Arrays.copyOfRange(mine, 0, 28));
    assertArrayEquals(Arrays.copyOfRange(theirs, 32, 100), Arrays.copyOfRange(mine, 32, 100));
    assertEquals(List.of(Map.of("integrity_check", "ok")),
        IndexDb.rows(mineFile, "PRAGMA integrity_check"));
    for (String sql : QUERIES) {
      assertEquals(normalized(theirFile, sql), normalized(mineFile, sql), sql);
    }
    assertEquals("ok\n", sqliteShell(mineFile, "PRAGMA integrity_check"));
    return new Images(mine, theirs, mineFile);
  }

  /** Rows as text with each value's Java class, so TEXT, INTEGER, BLOB and NULL differ. */
  private static List<String> normalized(Path db, String sql) throws Exception {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    List<String> out = new ArrayList<>();
    try (Connection c = config.createConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      StringBuilder b = new StringBuilder();
      while (rs.next()) {
        b.setLength(0);
        for (int i = 1; i <= columns; i++) {
          Object v = rs.getObject(i);
          if (v == null) {
            b.append("NULL");
          } else if (v instanceof byte[] bytes) {
            b.append("blob:").append(HexFormat.of().formatHex(bytes));
          } else {
            b.append(v.getClass().getSimpleName()).append(':').append(v);
          }
          b.append('|');
        }
        out.add(b.toString());
      }
    }
    if (!sql.contains("ORDER BY")) {
      out.sort(null); // views: SQLite promises no order
    }
    return out;
  }

  private static String sqliteShell(Path db, String sql) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("sqlite3", db.toString(), sql).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("the sqlite3 shell is not installed (apt-get install sqlite3)");
      return null;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  private static Path save(byte[] image) throws IOException {
    Path f = tmp.resolve("db" + files++ + ".db");
    Files.write(f, image);
    return f;
  }

  private static EntryStat stat(long inode, int mode, long size) {
    return new EntryStat(inode, mode, 1, 1000, 100, size, 4096, (size + 511) / 512,
        1_700_000_000L, 1_600_000_000L, 1_650_000_000L);
  }

  private static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + i / 251);
    }
    return b;
  }

  /** One writer's side of a directory, with the summary TreeWalk would keep beside it. */
  private abstract static class Calls {
    final DirectorySummary summary = new DirectorySummary();

    abstract void entry(String name, char type, EntryStat st, String link, byte[] xattrNames)
        throws Exception;

    abstract void xattr(long inode, byte[] name, byte[] value) throws Exception;

    void add(String name, char type, EntryStat st, String link, byte[] xattrNames)
        throws Exception {
      entry(name, type, st, link, xattrNames);
      summary.add(type, st, xattrNames == null ? 0 : 1);
    }

    void file(String name, EntryStat st) throws Exception {
      add(name, 'f', st, "", null);
    }
  }
}
