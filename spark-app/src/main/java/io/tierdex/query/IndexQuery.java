package io.tierdex.query;

import io.tierdex.source.IndexRoot;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs GUFI-style SQL over an index with Spark, gufi_query's way of printing: columns
 * joined by a delimiter (0x1E unless told), NULL as nothing, one row per line. Rows
 * stream to the output partition by partition; nothing is collected whole.
 */
public final class IndexQuery {
  /** The views every query can use, as gufi_query offers them per directory. */
  static final List<String> VIEWS = List.of("entries", "pentries", "summary", "vrsummary",
      "vrpentries", "treesummary", "xattrs");

  /** Returns the number of rows printed. */
  public long run(QueryRequest q) throws IOException {
    IndexRoot.check(q.index());
    boolean ownSession = SparkSession.getDefaultSession().isEmpty();
    SparkSession spark = SparkSession.builder().master(q.master()).appName("tierdex query")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.debug.maxToStringFields", "200").getOrCreate();
    try {
      register(spark, q);
      long rows = 0;
      try (OutputStream out = open(q.output())) {
        for (String sql : q.queries()) {
          rows += print(sql(spark, sql), q.delimiter(), out);
        }
      }
      return rows;
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }

  /** Registers the views the queries name (each costs an analysis pass; a second or so). */
  private static void register(SparkSession spark, QueryRequest q) {
    for (String view : VIEWS) {
      Pattern named = Pattern.compile("\\b" + view + "\\b", Pattern.CASE_INSENSITIVE);
      if (q.queries().stream().noneMatch(sql -> named.matcher(sql).find())) {
        continue;
      }
      spark.read().format("gufi").option("table", view)
          .option("minLevel", q.minLevel()).option("maxLevel", q.maxLevel())
          .option("strict", q.strict())
          .load(q.index().toString()).createOrReplaceTempView(view);
    }
  }

  private static Dataset<Row> sql(SparkSession spark, String sql) {
    try {
      return spark.sql(sql);
    } catch (Exception e) { // Scala throws the checked AnalysisException undeclared
      if (e instanceof AnalysisException a) {
        throw new IllegalArgumentException("bad SQL: " + a.getSimpleMessage().strip()
            + "\n  in: " + sql, e);
      }
      throw e;
    }
  }

  private static long print(Dataset<Row> df, byte[] delimiter, OutputStream out)
      throws IOException {
    long n = 0;
    Iterator<Row> rows = df.toLocalIterator();
    while (rows.hasNext()) {
      Row r = rows.next();
      for (int i = 0; i < r.length(); i++) {
        if (i > 0) {
          out.write(delimiter);
        }
        Object v = r.get(i);
        if (v instanceof byte[] b) {
          out.write(b);
        } else if (v != null) {
          out.write(v.toString().getBytes(StandardCharsets.UTF_8));
        }
      }
      out.write('\n');
      n++;
    }
    return n;
  }

  private OutputStream open(Path output) throws IOException {
    if (output == null) {
      return new BufferedOutputStream(new UncloseableStream(System.out), 1 << 16);
    }
    return new BufferedOutputStream(Files.newOutputStream(output), 1 << 16);
  }

  /** System.out must stay open after a query run inside a longer-lived JVM. */
  private static final class UncloseableStream extends java.io.FilterOutputStream {
    UncloseableStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
