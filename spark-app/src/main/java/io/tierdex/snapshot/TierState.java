package io.tierdex.snapshot;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;

import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What tierdex moved, keyed by path: {@code tiering/run=<id>/*.parquet}, one directory per
 * run that moved files, rows {@link #SCHEMA}. A move gives the file a new inode, so the
 * row records the inode after the move with the size and mtime it had: a later snapshot
 * showing that inode at that path, with that size and mtime, sees the file we moved,
 * untouched. The newest run's row for a path wins.
 */
public final class TierState {
  /** A moved file: its path, its inode after the move, its size and mtime, the target pool. */
  public static final StructType SCHEMA = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("inode", DataTypes.StringType, false)
      .add("size", DataTypes.LongType, false)
      .add("mtime", DataTypes.LongType, false)
      .add("pool", DataTypes.StringType, false);

  private final SparkSession spark;
  private final StateDir state;

  public TierState(SparkSession spark, StateDir state) {
    this.spark = spark;
    this.state = state;
  }

  /**
   * Records the files {@code run} moved. Written beside and renamed into place, so a crash
   * leaves no half-written run in the table.
   */
  public void record(RunId run, Dataset<Row> moved) {
    Dataset<Row> rows = moved.selectExpr(SCHEMA.fieldNames());
    Path partial = new Path(state.tiering(), "_partial-" + run);
    Path done = new Path(state.tiering(), "run=" + run);
    FileSystem fs = state.fileSystem();
    try {
      fs.delete(partial, true);
      rows.write().parquet(partial.toString());
      if (fs.exists(done) || !fs.rename(partial, done)) {
        throw new StateException("cannot record the moves of run " + run + ": " + done
            + " already exists or the rename failed");
      }
    } catch (IOException e) {
      throw new StateException("cannot write " + done + ": " + e.getMessage(), e);
    }
  }

  /** The newest record of every path (path, inode, size, mtime, pool, run), if any. */
  public Optional<Dataset<Row>> current() {
    if (!hasRuns()) {
      return Optional.empty();
    }
    Dataset<Row> all = spark.read().schema(SCHEMA.add("run", DataTypes.StringType))
        .parquet(state.tiering().toString());
    return Optional.of(all.groupBy("path")
        .agg(max_by(struct("inode", "size", "mtime", "pool", "run"), col("run")).as("r"))
        .select("path", "r.*"));
  }

  private boolean hasRuns() {
    try {
      FileSystem fs = state.fileSystem();
      if (!fs.exists(state.tiering())) {
        return false;
      }
      for (FileStatus s : fs.listStatus(state.tiering())) {
        if (s.isDirectory() && s.getPath().getName().startsWith("run=")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new StateException("cannot list " + state.tiering() + ": " + e.getMessage(), e);
    }
  }
}
