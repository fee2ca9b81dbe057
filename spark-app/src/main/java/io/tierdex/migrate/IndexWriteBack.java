package io.tierdex.migrate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_replace;

import io.tierdex.gufi.GufiText;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sqlite.SQLiteConfig;

/**
 * Records moved files in the index, so the next snapshot taken from the same index sees
 * each moved file with the inode the move gave it, without walking the tree again.
 *
 * <p>A file's row is the {@code entries} row named for it (GUFI-quoted, {@code it''s}) in
 * the db.db of its directory: {@code source/a/b/f} is row {@code f} of {@code
 * index/a/b/db.db}, as the gufi source and {@link io.tierdex.snapshot.SnapshotTable} map
 * them the other way. Only regular-file rows ({@code type = 'f'}) are updated:
 *
 * <ul>
 *   <li>{@code inode}: the file's inode after the move (decimal text, as GUFI stores it);
 *   <li>{@code ctime}: its ctime after the move, in seconds;
 *   <li>{@code ossint1}: the id of the BeeGFS storage pool the file now lives on;
 *   <li>{@code ossint2}: when tierdex moved it, in seconds since the epoch;
 *   <li>{@code osstext1}: the name of that pool;
 *   <li>{@code osstext2}: the id of the tierdex run that moved it.
 * </ul>
 *
 * <p>Every other column stays as indexed. In the same transaction the file's rows in
 * {@code xattrs_pwd} (keyed by inode) move to the new inode, and the directory's own
 * {@code summary} row ({@code isroot = 1, rectype = 0}) gets {@code min/max/tot} of
 * {@code ctime} and {@code ossint1..4} recomputed over {@code entries}, as GUFI computes
 * them. Ancestors' {@code treesummary} rows are not touched.
 *
 * <p>Transactions: one per directory. Moves that match a row are written together; a
 * move whose file has no regular-file row there is a problem and does not stop the
 * others. An error of the database itself (missing, read-only, locked past the busy
 * timeout, damaged) rolls the whole directory back and is one problem naming the db.db.
 * Nothing is thrown: the files have already moved, so the caller reports the problems.
 * Applying the same moves again writes the same values, so a retried Spark task is
 * harmless.
 */
public final class IndexWriteBack {
  static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(30);
  private static final String DB = "db.db";
  private static final String DIR_COLUMN = "__tierdex_dir";
  private static final String[] COLUMNS = {"CAST(path AS STRING) AS path",
    "CAST(new_inode AS STRING) AS new_inode", "CAST(ctime AS BIGINT) AS ctime",
    "CAST(pool_id AS INT) AS pool_id", "CAST(pool AS STRING) AS pool",
    "CAST(run AS STRING) AS run", "CAST(moved_at AS BIGINT) AS moved_at"};

  /**
   * One moved file.
   *
   * @param path the file's path as the snapshot spells it (under the source directory)
   * @param newInode its inode after the move, in decimal
   * @param ctime its ctime after the move, in seconds
   * @param poolId the BeeGFS storage pool id it now lives on
   * @param pool that pool's name
   * @param run the tierdex run id that moved it
   * @param movedAt when it was moved, in seconds since the epoch
   */
  public record Move(String path, String newInode, long ctime, int poolId, String pool,
      String run, long movedAt) {}

  /**
   * What a write-back did.
   *
   * @param directories db.db files that now record at least one move
   * @param rows {@code entries} rows updated
   * @param problems the first problems, one line each naming the db.db and the path; a
   *     last line {@code ... and N more problems} if there were more
   */
  public record Result(long directories, long rows, List<String> problems) {}

  private final Path index;
  private final Path source;
  private final Duration busyTimeout;
  /** Index directories known to be rolled up (true) or not; shared by this task's calls. */
  private final Map<Path, Boolean> rolledUp = new ConcurrentHashMap<>();

  /**
   * @param indexRoot the index the snapshot was read from ({@code SnapshotInfo.index})
   * @param sourceDir the directory it describes ({@code SnapshotInfo.source}); when the
   *     snapshot had none, its paths are index paths: pass {@code indexRoot}
   */
  public IndexWriteBack(String indexRoot, String sourceDir) {
    this(indexRoot, sourceDir, DEFAULT_BUSY_TIMEOUT);
  }

  IndexWriteBack(String indexRoot, String sourceDir, Duration busyTimeout) {
    Objects.requireNonNull(indexRoot, "indexRoot");
    Objects.requireNonNull(sourceDir, "sourceDir");
    this.index = Path.of(indexRoot).toAbsolutePath().normalize();
    this.source = Path.of(sourceDir).normalize();
    if (!source.isAbsolute()) {
      throw new IllegalArgumentException("source directory " + sourceDir
          + " must be an absolute path, the directory the index describes");
    }
    this.busyTimeout = busyTimeout;
  }

  /**
   * Records {@code moves}, files directly in the file-system directory {@code directory},
   * in that directory's db.db, in one transaction.
   */
  public Result apply(String directory, List<Move> moves) {
    WriteBackTally tally = new WriteBackTally();
    apply(directory, moves, tally);
    return tally.toResult();
  }

  private void apply(String directory, List<Move> moves, WriteBackTally tally) {
    Path dir = parse(directory);
    Map<String, Move> byName = new LinkedHashMap<>();
    for (Move m : moves) {
      String refused = refusal(m, dir);
      if (refused != null) {
        tally.problem(refused);
        continue;
      }
      // The same file twice (a retried move): the later move is the one on disk.
      byName.merge(GufiText.quote(Path.of(m.path()).getFileName().toString()), m,
          (a, b) -> b.movedAt() >= a.movedAt() ? b : a);
    }
    if (byName.isEmpty()) {
      return;
    }
    Path indexDir = index.resolve(source.relativize(dir));
    Path db = indexDir.resolve(DB);
    String sample = byName.size() + " moved file(s) not recorded, e.g. "
        + byName.values().iterator().next().path();
    if (!Files.isRegularFile(db)) {
      tally.problem(db + ": no index database for " + dir + " (not indexed, or below"
          + " --min-level); " + sample);
      return;
    }
    DirectoryDbUpdate.Outcome outcome;
    try {
      outcome = DirectoryDbUpdate.run(db, byName, busyTimeout);
    } catch (SQLException | RuntimeException e) {
      tally.problem(db + ": not updated, " + describe(e) + "; " + sample);
      return;
    }
    tally.written(outcome.rows());
    for (String name : outcome.missing()) {
      tally.problem(db + ": no regular-file row for " + byName.get(name).path()
          + " (the index does not list it as a file; re-index " + dir + ")");
    }
    if (outcome.rows() > 0) {
      Path above = rolledUpAncestor(indexDir);
      if (above != null) {
        tally.problem(above.resolve(DB) + ": rolled up (gufi_rollup), so readers take the rows"
            + " of " + dir + " from it, and it still shows the old inodes of "
            + outcome.rows() + " moved file(s), e.g. " + byName.values().iterator().next().path()
            + " (" + db + " is updated; roll up " + above + " again)");
      }
    }
  }

  /** Why {@code m} cannot be written as a file of {@code dir}, or null if it can. */
  private String refusal(Move m, Path dir) {
    if (m.path() == null || m.newInode() == null || m.pool() == null || m.run() == null) {
      return m.path() + ": a move without path, new inode, pool or run; not recorded in the"
          + " index";
    }
    Path p = parse(m.path());
    if (p == null || !p.isAbsolute() || !p.startsWith(source) || p.equals(source)) {
      return m.path() + ": outside the source directory " + source + " that index " + index
          + " describes; not recorded in the index";
    }
    if (!p.getParent().equals(dir)) {
      return m.path() + ": not in directory " + dir + "; not recorded in the index";
    }
    if (!m.newInode().matches("[0-9]+")) {
      return m.path() + ": new inode '" + m.newInode() + "' is not a decimal number; not"
          + " recorded in the index";
    }
    return null;
  }

  private static Path parse(String path) {
    try {
      return path == null ? null : Path.of(path).normalize();
    } catch (InvalidPathException e) {
      return null;
    }
  }

  private String describe(Exception e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("SQLITE_BUSY")) {
      return message + " (another writer held it for over " + busyTimeout.toMillis() + " ms)";
    }
    return message;
  }

  /**
   * The highest index directory above {@code indexDir} (up to the index root) that is
   * rolled up, or null. Readers stop there, as gufi_query does, and read its copy of the
   * rows below instead of the db.db files this class updates.
   */
  private Path rolledUpAncestor(Path indexDir) {
    Path rel = index.relativize(indexDir);
    int depth = rel.toString().isEmpty() ? 0 : rel.getNameCount();
    for (int i = 0; i < depth; i++) {
      Path ancestor = i == 0 ? index : index.resolve(rel.subpath(0, i));
      if (rolledUp.computeIfAbsent(ancestor, IndexWriteBack::isRolledUp)) {
        return ancestor;
      }
    }
    return null;
  }

  private static boolean isRolledUp(Path indexDir) {
    Path db = indexDir.resolve(DB);
    if (!Files.isRegularFile(db)) {
      return false;
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    try (Connection c = config.createConnection("jdbc:sqlite:"
            + DirectoryDbUpdate.fileUri(db) + "?mode=ro&immutable=1");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT EXISTS (SELECT 1 FROM summary WHERE isroot = 1 AND isrolledup = 1)")) {
      return rs.next() && rs.getInt(1) == 1;
    } catch (SQLException e) {
      return false; // unreadable: the gufi source reports it when it reads the index
    }
  }

  /**
   * The Spark side: {@code moves} (columns {@code path, new_inode, ctime, pool_id, pool,
   * run, moved_at}) are repartitioned by parent directory and each task applies its
   * directories, one transaction each. Only one small tally per task comes back to the
   * driver. Never throws: a failed job is a problem line too (directories committed
   * before it stay written).
   */
  public static Result writeBack(SparkSession spark, Dataset<Row> moves, String indexRoot,
      String sourceDir) {
    WriteBackTally total = new WriteBackTally();
    try {
      IndexWriteBack checked = new IndexWriteBack(indexRoot, sourceDir);
      if (!Files.isDirectory(checked.index)) {
        total.problem(checked.index + ": the index root is not a directory; no move recorded");
        return total.toResult();
      }
      Dataset<Row> byDir = moves.selectExpr(COLUMNS)
          .withColumn(DIR_COLUMN, regexp_replace(col("path"), "/[^/]*$", ""))
          .repartition(col(DIR_COLUMN))
          .sortWithinPartitions(DIR_COLUMN);
      List<WriteBackTally> tallies = byDir.toJavaRDD()
          .mapPartitions(new PartitionWriter(checked.index.toString(), checked.source.toString()))
          .collect();
      for (WriteBackTally t : tallies) {
        total.merge(t);
      }
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes
      total.problem("index write-back stopped: " + e.getMessage() + " (directories written"
          + " before stay written; the rest still show the old inodes)");
    }
    return total.toResult();
  }

  /** One task: its rows arrive sorted by directory; each directory is applied at once. */
  private static final class PartitionWriter
      implements FlatMapFunction<Iterator<Row>, WriteBackTally> {
    private static final long serialVersionUID = 1L;
    private final String index;
    private final String source;

    PartitionWriter(String index, String source) {
      this.index = index;
      this.source = source;
    }

    @Override
    public Iterator<WriteBackTally> call(Iterator<Row> rows) {
      IndexWriteBack writer = new IndexWriteBack(index, source);
      WriteBackTally tally = new WriteBackTally();
      String dir = null;
      List<Move> batch = new ArrayList<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        String d = r.getString(7);
        if (!batch.isEmpty() && !Objects.equals(d, dir)) {
          writer.applyGrouped(batch, tally);
          batch.clear();
        }
        dir = d;
        Move m = move(r, tally);
        if (m != null) {
          batch.add(m);
        }
      }
      writer.applyGrouped(batch, tally);
      return List.of(tally).iterator();
    }

    private static Move move(Row r, WriteBackTally tally) {
      for (int i = 0; i < 7; i++) {
        if (r.isNullAt(i)) {
          tally.problem(r.get(0) + ": move row has no " + r.schema().fieldNames()[i]
              + "; not recorded in the index");
          return null;
        }
      }
      return new Move(r.getString(0), r.getString(1), r.getLong(2), r.getInt(3),
          r.getString(4), r.getString(5), r.getLong(6));
    }
  }

  /** Applies moves of one Spark group, split by their parent as Java normalizes paths. */
  private void applyGrouped(List<Move> moves, WriteBackTally tally) {
    Map<String, List<Move>> byParent = new LinkedHashMap<>();
    for (Move m : moves) {
      Path p = parse(m.path());
      String parent = p == null || p.getParent() == null ? "" : p.getParent().toString();
      byParent.computeIfAbsent(parent, k -> new ArrayList<>()).add(m);
    }
    for (Map.Entry<String, List<Move>> e : byParent.entrySet()) {
      try {
        apply(e.getKey(), e.getValue(), tally);
      } catch (RuntimeException ex) { // one directory's surprise must not fail the task
        tally.problem(e.getKey() + ": not recorded in the index, " + ex + "; "
            + e.getValue().size() + " moved file(s), e.g. " + e.getValue().get(0).path());
      }
    }
  }
}
