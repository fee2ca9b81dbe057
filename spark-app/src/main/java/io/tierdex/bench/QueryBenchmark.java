package io.tierdex.bench;

import io.tierdex.index.IndexRequest;
import io.tierdex.index.TreeIndexer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Times questions over an index with the gufi source (Spark session start apart) beside
 * the sqlite3 shell answering the same questions over the same db.db files in one
 * process, ATTACHing each file in turn, and checks that both give the same totals.
 */
public final class QueryBenchmark {
  /** A question, as Spark SQL over the index and as the per-file SQL for sqlite3. */
  record Question(String label, String spark, String perFile, boolean sumFirstColumn) {}

  static final List<Question> QUESTIONS = List.of(
      new Question("filtered count",
          "SELECT COUNT(*) FROM entries WHERE uid = 0 AND size > 1000",
          "SELECT COUNT(*) FROM g.entries WHERE uid = 0 AND size > 1000;", true),
      new Question("projection",
          "SELECT COUNT(*) FROM (SELECT name, size, mtime FROM entries WHERE size > 100000)",
          "SELECT name, size, mtime FROM g.entries WHERE size > 100000;", false),
      new Question("group by uid",
          "SELECT COUNT(*) FROM (SELECT uid, COUNT(*), SUM(size) FROM entries GROUP BY uid)",
          "SELECT uid, COUNT(*), SUM(size) FROM g.entries GROUP BY uid;", false));

  /** GUFI's gufi_query -n 2 on this machine class: 1.24 s over 11,111 directories. */
  static final double GUFI_US_PER_DIR = 1.24e6 / 11_111;

  private final Path workdir;
  private final List<String> tierdex;
  private final PrintStream out;

  /** {@code tierdex}: the command that starts tierdex, for the whole-process timing. */
  public QueryBenchmark(Path workdir, List<String> tierdex, PrintStream out) {
    this.workdir = workdir;
    this.tierdex = tierdex;
    this.out = out;
  }

  /**
   * {@code preset}: 100k or 1m (a generated tree, indexed once), or 2m: the 1m index
   * twice, hard-linked side by side (222,222 directories, no second 5 GB of db.db), the
   * size from which the whole-process target applies.
   */
  public void run(String preset, String master) throws Exception {
    Path index;
    if (preset.equals("2m")) {
      index = twice(ensureIndex(IndexBenchmark.ensureTree(workdir, "1m", out), "1m"));
    } else {
      index = ensureIndex(IndexBenchmark.ensureTree(workdir, preset, out), preset);
    }
    List<String> dbs = listDbs(index);
    out.printf("%s: %,d db.db files under %s%n", preset, dbs.size(), index);

    long start = System.nanoTime();
    SparkSession spark = SparkSession.builder().master(master).appName("tierdex bench query")
        .config("spark.ui.enabled", "false").getOrCreate();
    double session = seconds(start);
    spark.read().format("gufi").option("table", "entries").load(index.toString())
        .createOrReplaceTempView("entries");
    // One untimed pass warms the page cache and the JIT for both tools alike.
    spark.sql(QUESTIONS.get(0).spark()).collectAsList();
    List<String[]> rows = new ArrayList<>();
    for (Question q : QUESTIONS) {
      sqlite(q, dbs); // warm-up of the reference
      long t = System.nanoTime();
      List<Row> answer = spark.sql(q.spark()).collectAsList();
      double sparkSeconds = seconds(t);
      t = System.nanoTime();
      long reference = sqlite(q, dbs);
      double sqliteSeconds = seconds(t);
      String check = q.sumFirstColumn()
          ? (answer.get(0).getLong(0) == reference ? "same" : "DIFFER " + answer + " vs "
              + reference)
          : "";
      rows.add(new String[] {q.label(), fmt(sparkSeconds), us(sparkSeconds, dbs.size()),
          fmt(sqliteSeconds), us(sqliteSeconds, dbs.size()), check});
    }
    spark.stop();
    out.println();
    out.printf("gufi source (%s, session start %.3f s, not included) vs sqlite3 shell "
        + "(one process, ATTACH per db.db), %,d db.db%n", master, session, dbs.size());
    out.printf("%-16s %10s %10s %12s %10s  %s%n", "question", "spark (s)", "us/db.db",
        "sqlite3 (s)", "us/db.db", "answers");
    for (String[] r : rows) {
      out.printf("%-16s %10s %10s %12s %10s  %s%n", (Object[]) r);
    }
    String cores = master.replaceAll("\\D", "");
    double whole = wholeProcess(index, master);
    double gufi = GUFI_US_PER_DIR * dbs.size() / 1e6;
    out.printf(Locale.ROOT, "whole process, `tierdex query --master %s --sql <filtered count>`"
        + " (JVM, session, listing, query; best of 2): %.3f s = %.2fx GUFI's %.3f s "
        + "(gufi_query -n %s at %.0f us per directory, measured for the issue)%n", master, whole,
        whole / gufi, gufi, cores.isEmpty() ? "2" : cores, GUFI_US_PER_DIR);
    out.printf(Locale.ROOT, "targets: at most 60 us per db.db for the filtered count; "
        + "the whole process within GUFI's time from 200k directories up%n");
  }

  /** Times the filtered count as users run it: a fresh tierdex process, best of two. */
  private double wholeProcess(Path index, String master) throws Exception {
    List<String> cmd = new ArrayList<>(tierdex);
    cmd.addAll(List.of("query", "--master", master, "--sql", QUESTIONS.get(0).spark(),
        index.toString()));
    double best = Double.MAX_VALUE;
    for (int run = 0; run < 2; run++) {
      long t = System.nanoTime();
      Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(workdir.resolve("tierdex-query.log").toFile()).start();
      if (p.waitFor() != 0) {
        throw new IOException("tierdex query failed; see " + workdir.resolve("tierdex-query.log"));
      }
      best = Math.min(best, seconds(t));
    }
    return best;
  }

  private Path ensureIndex(Path tree, String preset) throws Exception {
    Path parent = workdir.resolve("query-index-" + preset);
    Path index = parent.resolve(tree.getFileName());
    if (!Files.isDirectory(index)) {
      out.printf("%s: indexing %s (untimed)%n", preset, tree);
      new TreeIndexer(out, false).index(new IndexRequest(List.of(tree), parent,
          Runtime.getRuntime().availableProcessors(), 0, Integer.MAX_VALUE, false, false));
    }
    return index;
  }

  /** An index root holding {@code index} twice, as hard links; made once. */
  private Path twice(Path index) throws IOException {
    Path root = workdir.resolve("query-index-2m");
    if (!Files.isDirectory(root.resolve("b"))) {
      out.printf("2m: linking the 1m index twice under %s%n", root);
      for (String copy : List.of("a", "b")) {
        Path to = root.resolve(copy);
        try (Stream<Path> all = Files.walk(index)) {
          for (Path p : (Iterable<Path>) all::iterator) {
            Path target = to.resolve(index.relativize(p).toString());
            if (Files.isDirectory(p)) {
              Files.createDirectories(target);
            } else if (!Files.exists(target)) {
              Files.createLink(target, p);
            }
          }
        }
      }
    }
    return root;
  }

  private static List<String> listDbs(Path index) throws IOException {
    try (Stream<Path> all = Files.walk(index)) {
      return all.filter(p -> p.getFileName().toString().equals("db.db")).map(Path::toString)
          .sorted().toList();
    }
  }

  /** Runs the per-file SQL over every db.db in one sqlite3 process; sums column 1 if asked. */
  private long sqlite(Question q, List<String> dbs) throws IOException, InterruptedException {
    // Named for the index too: a script left from another preset would answer for it.
    Path script = workdir.resolve("sqlite3-" + Integer.toHexString(dbs.hashCode()) + "-"
        + q.label().replace(' ', '-') + ".sql");
    if (!Files.exists(script)) {
      try (BufferedWriter w = Files.newBufferedWriter(script, StandardCharsets.UTF_8)) {
        for (String db : dbs) {
          w.write("ATTACH '" + db.replace("'", "''") + "' AS g;\n" + q.perFile()
              + "\nDETACH g;\n");
        }
      }
    }
    Process p = new ProcessBuilder("sqlite3", ":memory:").redirectInput(script.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    long sum = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (q.sumFirstColumn()) {
          sum += Long.parseLong(line.strip());
        }
      }
    }
    if (p.waitFor() != 0) {
      throw new IOException("sqlite3 failed on " + script);
    }
    return sum;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static String fmt(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }

  private static String us(double s, int files) {
    return String.format(Locale.ROOT, "%.0f", s * 1e6 / files);
  }
}
