package io.tierdex.migrate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Serializable;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One planned file's row of {@code runs/<id>/ledger}: what became of it, and the evidence
 * (bytes, checksum, the inode before and after, when, where, which attempt).
 */
public record LedgerRow(String path, String rule, int bin,
    @JsonProperty("from_pool") String fromPool, @JsonProperty("to_pool") String toPool,
    String outcome, String reason, long bytes, String checksum, String inode,
    @JsonProperty("new_inode") String newInode, long size, long mtime,
    @JsonProperty("start_ms") long startMs, @JsonProperty("end_ms") long endMs, String host,
    String executor, int attempt) implements Serializable {

  /** The journal's form of the row (times as epoch milliseconds). */
  public static final StructType JOURNAL_SCHEMA = new StructType()
      .add("k", DataTypes.StringType)
      .add("path", DataTypes.StringType).add("rule", DataTypes.StringType)
      .add("bin", DataTypes.IntegerType).add("from_pool", DataTypes.StringType)
      .add("to_pool", DataTypes.StringType).add("outcome", DataTypes.StringType)
      .add("reason", DataTypes.StringType).add("bytes", DataTypes.LongType)
      .add("checksum", DataTypes.StringType).add("inode", DataTypes.StringType)
      .add("new_inode", DataTypes.StringType).add("size", DataTypes.LongType)
      .add("mtime", DataTypes.LongType).add("start_ms", DataTypes.LongType)
      .add("end_ms", DataTypes.LongType).add("host", DataTypes.StringType)
      .add("executor", DataTypes.StringType).add("attempt", DataTypes.IntegerType);

  /** The row's fields into an open JSON object, named as in {@link #JOURNAL_SCHEMA}. */
  void writeFields(JsonGenerator g) throws IOException {
    g.writeStringField("path", path);
    g.writeStringField("rule", rule);
    g.writeNumberField("bin", bin);
    g.writeStringField("from_pool", fromPool);
    g.writeStringField("to_pool", toPool);
    g.writeStringField("outcome", outcome);
    g.writeStringField("reason", reason);
    g.writeNumberField("bytes", bytes);
    g.writeStringField("checksum", checksum);
    g.writeStringField("inode", inode);
    g.writeStringField("new_inode", newInode);
    g.writeNumberField("size", size);
    g.writeNumberField("mtime", mtime);
    g.writeNumberField("start_ms", startMs);
    g.writeNumberField("end_ms", endMs);
    g.writeStringField("host", host);
    g.writeStringField("executor", executor);
    g.writeNumberField("attempt", attempt);
  }

  static LedgerRow of(PlannedTask t, MoveResult r, long startMs, long endMs, String host,
      String executor, int attempt) {
    PlannedFile f = t.file();
    boolean moved = r.outcome() == MoveOutcome.MIGRATED;
    return new LedgerRow(f.path(), t.rule(), t.bin(), f.fromPool(), f.toPool(),
        r.outcome().name(), r.reason(), moved ? f.size() : 0, r.checksum(), f.inode(),
        r.newInode(), f.size(), f.mtime(), startMs, endMs, host, executor, attempt);
  }
}
