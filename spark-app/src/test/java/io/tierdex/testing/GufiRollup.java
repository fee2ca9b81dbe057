package io.tierdex.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns an index written by {@code tierdex index} into the rolled-up index GUFI's
 * {@code gufi_rollup} leaves behind, so the gufi source can be tested on rolled-up
 * indexes without GUFI installed. Written from a reading of GUFI's {@code
 * src/gufi_rollup.c}, {@code src/rollup.c} ({@code rollup_init}, {@code
 * bottomup_collect_treesummary}) and {@code include/rollup.h} ({@code
 * ROLLUP_ONE_SUBDIR_FRONT/BACK}); the SQL below is this project's own.
 *
 * <p>What gufi_rollup does, and this class repeats, for every directory of the subtree,
 * children before their parent (GUFI's BottomUp walk):
 *
 * <ol>
 *   <li>Creates {@code treesummary} (and its {@code vtsummary*} views) if missing: GUFI
 *       opens every db.db it visits with {@code create_treesummary_tables}. The table
 *       uses this project's gufi-treesummary-schema.sql; the view text is this class's
 *       own ({@code SELECT * FROM treesummary WHERE rectype == 0/1/2}, as GUFI's views
 *       select), not GUFI's byte for byte.
 *   <li>Clears old rollup data ({@code rollup_init}): drops {@code summary_idx}, empties
 *       {@code pentries_rollup}, {@code xattrs_rollup} and {@code external_dbs_rollup},
 *       deletes the {@code summary} rows with {@code isroot != 1}, and sets {@code
 *       canrollup = 1, isrolledup = 1} on the rows that remain (the directory's own row).
 *       A leaf therefore ends up rolled up too: it has no child to conflict with.
 *   <li>For each child, attached as {@code subdir}: the child's whole {@code pentries}
 *       view (its entries with {@code pinode} = the child's inode and {@code ppinode} =
 *       the child's parent inode, plus its own {@code pentries_rollup}) goes into {@code
 *       pentries_rollup}; every {@code summary} row of the child goes into {@code summary}
 *       with {@code name = <this dir's name> || '/' || <child row's name>} (so {@code a}
 *       gets {@code a/b} and, from b's own rolled-up rows, {@code a/b/c}), {@code depth
 *       + 1}, {@code isroot = 0}, {@code canrollup = 1}, {@code isrolledup = 1}, every
 *       other column (inode, pinode, rectype, stats) unchanged; the child's {@code
 *       treesummary} rows are copied; {@code xattrs_avail} goes into {@code
 *       xattrs_rollup}; {@code external_dbs} into {@code external_dbs_rollup} (INSERT OR
 *       IGNORE).
 *   <li>Recomputes this directory's {@code treesummary} row(s) from its now complete
 *       {@code summary} ({@code GROUP BY rectype}), then creates {@code summary_idx} on
 *       {@code summary(inode)}.
 * </ol>
 *
 * <p>The children's db.db files stay on disk with their own rollup data. (The newest
 * gufi_rollup.c also has a delete-below option, {@code FLAG_ROLLUP_DELETE_BELOW}: when
 * children are attached read-write and the parent's level is at or past the given
 * level, it deletes the children's {@code isroot != 1} rows, {@code pentries_rollup},
 * {@code xattrs_rollup} and {@code external_dbs_rollup} and resets their {@code
 * isrolledup} to 0. Its default was not checked and it is not modelled here; the GUFI
 * manual's rollup section says every level keeps its copy so queries starting anywhere
 * benefit.) gufi_query reads
 * {@code canrollup, isrolledup FROM summary WHERE isroot == 1} and does not descend
 * below a directory where both are non-zero, so the copies in the children are only
 * read by queries that start inside the rolled-up subtree.
 *
 * <p>Deliberate simplifications, because tierdex indexes are uniform here:
 *
 * <ul>
 *   <li>No permission checks. GUFI only rolls a child into its parent when one of four
 *       mode/uid/gid rules holds ({@code check_pair_permissions}); this class assumes
 *       every directory shares owner and mode, so every directory of the subtree rolls
 *       up. Do not use it on a tree whose directories differ in owner or mode and expect
 *       GUFI's answer.
 *   <li>No entry limit ({@code -L}) and no min level: nothing is ever refused.
 *   <li>External per-user/per-group xattr databases (rows of type {@code 'xattrs'} in
 *       {@code external_dbs}) are not copied; tierdex writes none, and meeting one is an
 *       error rather than a silently different index.
 *   <li>Every index directory of the subtree must hold a db.db (a {@code --min-level}
 *       index does not qualify).
 * </ul>
 */
public final class GufiRollup {
  private static final String DB = "db.db";
  private static final String TREESUMMARY_SCHEMA = "/io/tierdex/source/gufi-treesummary-schema.sql";

  /** The summary columns in table order (gufi-db-schema.sql). */
  private static final List<String> SUMMARY_COLUMNS = List.of(
      "name", "type", "inode", "mode", "nlink", "uid", "gid", "size", "blksize", "blocks",
      "atime", "mtime", "ctime", "linkname", "xattr_names", "crtime",
      "totfiles", "totlinks", "minuid", "maxuid", "mingid", "maxgid", "minsize", "maxsize",
      "totzero", "totltk", "totmtk", "totltm", "totmtm", "totmtg", "totmtt", "totsize",
      "minctime", "maxctime", "totctime", "minmtime", "maxmtime", "totmtime",
      "minatime", "maxatime", "totatime", "minblocks", "maxblocks", "totblocks",
      "totxattr", "depth", "mincrtime", "maxcrtime", "totcrtime",
      "minossint1", "maxossint1", "totossint1", "minossint2", "maxossint2", "totossint2",
      "minossint3", "maxossint3", "totossint3", "minossint4", "maxossint4", "totossint4",
      "rectype", "pinode", "isroot", "canrollup", "isrolledup");

  /** One child's summary rows as they land in the parent (ROLLUP_ONE_SUBDIR_BACK). */
  private static final String COPY_CHILD_SUMMARY = "INSERT INTO summary SELECT "
      + SUMMARY_COLUMNS.stream().map(GufiRollup::copiedSummaryColumn)
          .collect(Collectors.joining(", "))
      + " FROM summary AS s, subdir.summary AS sub WHERE s.isroot == 1";

  /**
   * A rolled-up directory's treesummary, computed from its own summary, which now holds
   * the whole subtree (bottomup_collect_treesummary, ISROLLEDUP_KNOWN_YES). The odd
   * columns are GUFI's: maxsubdir* are maxima over every directory of the subtree
   * including this one, and depth is the sum of the rows' depths.
   */
  private static final String TREESUMMARY_OF_ROLLED_UP = "INSERT INTO treesummary SELECT"
      + " (SELECT inode FROM summary WHERE isroot == 1),"
      + " (SELECT pinode FROM summary WHERE isroot == 1),"
      + " COUNT(*) - 1, MAX(totfiles), MAX(totlinks), MAX(size),"
      + " TOTAL(totfiles), TOTAL(totlinks),"
      + " MIN(minuid), MAX(maxuid), MIN(mingid), MAX(maxgid), MIN(minsize), MAX(maxsize),"
      + " TOTAL(totzero), TOTAL(totltk), TOTAL(totmtk), TOTAL(totltm), TOTAL(totmtm),"
      + " TOTAL(totmtg), TOTAL(totmtt), TOTAL(totsize),"
      + " MIN(minctime), MAX(maxctime), TOTAL(totctime),"
      + " MIN(minmtime), MAX(maxmtime), TOTAL(totmtime),"
      + " MIN(minatime), MAX(maxatime), TOTAL(totatime),"
      + " MIN(minblocks), MAX(maxblocks), TOTAL(totblocks),"
      + " TOTAL(totxattr), TOTAL(depth),"
      + " MIN(mincrtime), MAX(maxcrtime), TOTAL(totcrtime),"
      + " MIN(minossint1), MAX(maxossint1), TOTAL(totossint1),"
      + " MIN(minossint2), MAX(maxossint2), TOTAL(totossint2),"
      + " MIN(minossint3), MAX(maxossint3), TOTAL(totossint3),"
      + " MIN(minossint4), MAX(maxossint4), TOTAL(totossint4),"
      + " (SELECT COUNT(*) FROM external_dbs), rectype,"
      + " (SELECT uid FROM summary WHERE isroot == 1),"
      + " (SELECT gid FROM summary WHERE isroot == 1)"
      + " FROM summary GROUP BY rectype";

  private GufiRollup() {}

  /**
   * Rolls up the subtree whose top is {@code indexDir} (an index directory holding a
   * db.db), bottom-up as gufi_rollup does: every directory below it and {@code indexDir}
   * itself end with {@code isrolledup = 1}. Directories above or beside it are not
   * touched. Running it again gives the same result (old rollup data is cleared first).
   */
  public static void rollUp(Path indexDir) {
    try {
      rollUpSubtree(indexDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot roll up " + indexDir, e);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot roll up " + indexDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * GUFI's {@code rpath(sname, sroll)}: the directory a {@code vrsummary} or {@code
   * vrpentries} row belongs to, as seen from the directory being queried.
   *
   * <p>GUFI ({@code src/addqueryfuncs.c}, {@code rpath}): when {@code sroll} (the row's
   * {@code summary.isrolledup}) is 0 the answer is the current directory; otherwise it
   * is the current directory with its last component removed ({@code
   * work->name[:-basename_len]}, which keeps the slash) followed by {@code sname}.
   * Because a rolled-up row's name starts with the rolled-up directory's own basename
   * ({@code a/b/c} in {@code a}), that is the row's true directory. GUFI then swaps the
   * index-root prefix for the path the user typed; this helper works on whatever prefix
   * {@code currentDirPath} carries. The rolled-up directory's own row ({@code isroot =
   * 1}, {@code sname} = its basename, {@code sroll = 1}) also comes out as the current
   * directory.
   *
   * @param currentDirPath the directory whose db.db is being queried, e.g. {@code
   *     idx/top/a}; a trailing slash is ignored
   * @param sname the row's {@code summary.name} ({@code vrsummary.sname})
   * @param sroll the row's {@code summary.isrolledup} ({@code vrsummary.sroll})
   */
  public static String rpath(String currentDirPath, String sname, long sroll) {
    String current = stripTrailingSlashes(currentDirPath);
    if (sroll == 0) {
      return current;
    }
    int lastSlash = current.lastIndexOf('/');
    return current.substring(0, lastSlash + 1) + sname;
  }

  /**
   * The three-argument form {@code rpath(sname, sroll, name)}: the path of an entry row
   * of {@code vrpentries}, {@code rpath(sname, sroll) || '/' || name} (GUFI documents
   * that concatenation as the way to build an entry's path; the gufi source's
   * ContextFunctions rewrites the three-argument call to the same).
   */
  public static String rpath(String currentDirPath, String sname, long sroll, String name) {
    return rpath(currentDirPath, sname, sroll) + "/" + name;
  }

  private static void rollUpSubtree(Path dir) throws IOException, SQLException {
    List<Path> children = subdirectories(dir);
    for (Path child : children) {
      rollUpSubtree(child);
    }
    rollUpInto(dir, children);
  }

  /** The index directories directly below {@code dir}, in name order. */
  private static List<Path> subdirectories(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted()
          .collect(Collectors.toList());
    }
  }

  private static void rollUpInto(Path dir, List<Path> children) throws SQLException {
    Path db = dir.resolve(DB);
    if (!Files.isRegularFile(db)) {
      throw new IllegalArgumentException("no " + DB + " in index directory " + dir
          + ": gufi_rollup would not roll this directory (or its ancestors) up");
    }
    // Autocommit, one statement at a time, as GUFI's sqlite3_exec does: ATTACH is not
    // allowed inside a transaction.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode = OFF");
      s.execute("PRAGMA synchronous = OFF");
      createTreesummaryTables(s);
      clearOldRollup(s, dir);
      for (Path child : children) {
        copyChild(c, s, child);
      }
      s.execute("DELETE FROM treesummary"
          + " WHERE inode == (SELECT inode FROM summary WHERE isroot == 1)");
      s.execute(TREESUMMARY_OF_ROLLED_UP);
      s.execute("CREATE INDEX summary_idx ON summary(inode)");
    }
  }

  private static void createTreesummaryTables(Statement s) throws SQLException {
    s.execute(treesummarySchema().replaceFirst("(?i)CREATE TABLE treesummary",
        "CREATE TABLE IF NOT EXISTS treesummary"));
    s.execute("CREATE VIEW IF NOT EXISTS vtsummarydir AS SELECT * FROM treesummary WHERE rectype == 0");
    s.execute("CREATE VIEW IF NOT EXISTS vtsummaryuser AS SELECT * FROM treesummary WHERE rectype == 1");
    s.execute("CREATE VIEW IF NOT EXISTS vtsummarygroup AS SELECT * FROM treesummary WHERE rectype == 2");
  }

  /** rollup_init: drop whatever an earlier rollup left, mark this directory rolled up. */
  private static void clearOldRollup(Statement s, Path dir) throws SQLException {
    refuseExternalXattrDbs(s, "external_dbs_rollup", dir);
    s.execute("DROP INDEX IF EXISTS summary_idx");
    s.execute("DELETE FROM pentries_rollup");
    s.execute("DELETE FROM summary WHERE isroot != 1");
    s.execute("DELETE FROM xattrs_rollup");
    s.execute("DELETE FROM external_dbs_rollup");
    s.execute("UPDATE summary SET canrollup = 1, isrolledup = 1");
  }

  private static void copyChild(Connection c, Statement s, Path child) throws SQLException {
    Path childDb = child.resolve(DB);
    try (PreparedStatement attach = c.prepareStatement("ATTACH DATABASE ? AS subdir")) {
      attach.setString(1, childDb.toString());
      attach.execute();
    }
    try {
      refuseExternalXattrDbs(s, "subdir.external_dbs", child);
      s.execute("INSERT INTO pentries_rollup SELECT * FROM subdir.pentries");
      s.execute(COPY_CHILD_SUMMARY);
      s.execute("INSERT INTO treesummary SELECT * FROM subdir.treesummary");
      s.execute("INSERT INTO xattrs_rollup SELECT * FROM subdir.xattrs_avail");
      s.execute("INSERT OR IGNORE INTO external_dbs_rollup SELECT * FROM subdir.external_dbs");
    } finally {
      s.execute("DETACH DATABASE subdir");
    }
  }

  private static String copiedSummaryColumn(String column) {
    switch (column) {
      case "name":
        return "s.name || '/' || sub.name";
      case "depth":
        return "sub.depth + 1";
      case "isroot":
        return "0";
      case "canrollup":
      case "isrolledup":
        return "1";
      default:
        return "sub." + column;
    }
  }

  private static void refuseExternalXattrDbs(Statement s, String table, Path where)
      throws SQLException {
    try (ResultSet rs = s.executeQuery(
        "SELECT COUNT(*) FROM " + table + " WHERE type == 'xattrs'")) {
      if (rs.next() && rs.getLong(1) > 0) {
        throw new UnsupportedOperationException(where + " lists external xattr databases in "
            + table + "; GufiRollup does not copy those files as gufi_rollup would");
      }
    }
  }

  private static String treesummarySchema() {
    try (InputStream in = GufiRollup.class.getResourceAsStream(TREESUMMARY_SCHEMA)) {
      if (in == null) {
        throw new IllegalStateException(TREESUMMARY_SCHEMA + " is not on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String stripTrailingSlashes(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
