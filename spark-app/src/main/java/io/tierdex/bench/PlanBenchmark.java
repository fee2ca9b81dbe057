package io.tierdex.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tierdex plan} with a five-rule policy over the newer snapshot of a diff preset
 * (built on first use), whole process with the driver's heap capped at 1 GiB, beside the
 * same five rules run the way a site without tierdex would: the {@code sqlite3} shell over
 * the snapshot flattened into one table, one query per rule (as Robinhood runs a policy),
 * each written into a plan table. The selected counts of both must agree.
 */
public final class PlanBenchmark {
  private static final Pattern PLAN_RUN = Pattern.compile("^plan (\\S+) from snapshot",
      Pattern.MULTILINE);
  private static final long MIB = 1L << 20;
  private static final String HEAP = "-Xmx1g";

  private final DiffBenchmark snapshots;
  private final List<String> tierdex;
  private final int repeat;
  private final PrintStream out;

  public PlanBenchmark(Path workdir, List<String> tierdex, int threads, int repeat,
      PrintStream out) {
    this.snapshots = new DiffBenchmark(workdir, tierdex, threads, repeat, out);
    this.tierdex = tierdex;
    this.repeat = repeat;
    this.out = out;
  }

  /** The rules, as the policy file says them and as SQLite conditions over the flat table. */
  private record Rule(String name, String yaml, String sqlite, String weight, String limit) {}

  public void run(String preset) throws Exception {
    DiffBenchmark.Prepared p = snapshots.prepare(preset);
    String run = p.runs()[1];
    JsonNode snapshot = new ObjectMapper().readTree(p.state().resolve("runs").resolve(run)
        .resolve("manifest.json").toFile()).get("snapshot");
    long files = snapshot.get("files").asLong();
    long bytes = snapshot.get("bytes").asLong();
    // The fast pool holds every file at 90% full; the watermark rule frees down to 50%.
    long total = (long) (bytes / 0.9);
    long freeable = bytes - (long) Math.floor(total * 50.0 / 100);
    long yearAgo = Instant.now().getEpochSecond() - 365 * 86_400L;
    long maxFiles = files / 10;
    List<Rule> rules = List.of(
        new Rule("big-and-old", "size >= 12MiB AND mtime older than 365d",
            "size >= " + 12 * MIB + " AND mtime < " + yearAgo, "size", "files " + maxFiles),
        new Rule("project-g007", "path glob '/bench/tree/g007/**'",
            "path GLOB '/bench/tree/g007/*'", "size", null),
        new Rule("two-users", "uid IN (1003, 1007)", "uid IN (1003, 1007)", "size", null),
        new Rule("moved-or-new", "name LIKE 'moved-%' OR name LIKE 'new-%'",
            "(path LIKE '%/moved-%' OR path LIKE '%/new-%')", "mtime * -1",
            "bytes " + 100 * (1L << 30)),
        new Rule("watermark", "size >= 1MiB", "size >= " + MIB, "size", "low"));
    Path policies = p.base().resolve("plan-policies.yaml");
    Files.writeString(policies, policyFile(rules, total, bytes, maxFiles));
    Path script = p.base().resolve("plan-sqlite.sql");
    Files.writeString(script, sqliteScript(rules, freeable));

    List<Double> ours = new ArrayList<>();
    List<Long> rss = new ArrayList<>();
    String summary = "";
    for (int i = 0; i < repeat; i++) {
      Path rssFile = p.base().resolve("plan.rss");
      List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M", "-o",
          rssFile.toString()));
      cmd.addAll(tierdex);
      cmd.addAll(List.of("plan", "--policies", policies.toString(), "--state",
          p.state().toString(), "--snapshot", run, "--keep", "1000"));
      Path output = p.base().resolve("plan.out");
      ours.add(DiffBenchmark.time(cmd, output.toFile(), p.base().resolve("plan.log").toFile(),
          Map.of("TIERDEX_JAVA_OPTS", (HEAP + " " + System.getenv()
              .getOrDefault("TIERDEX_JAVA_OPTS", "")).strip())));
      rss.add(Long.parseLong(Files.readString(rssFile).strip().lines()
          .reduce((x, y) -> y).orElse("0")));
      summary = Files.readString(output);
      // Each timed run writes a plan; the benchmark keeps the state directory as it was.
      Matcher m = PLAN_RUN.matcher(summary);
      if (m.find()) {
        io.tierdex.index.Trees.delete(p.state().resolve("runs").resolve(m.group(1)));
      }
    }
    List<Double> theirs = new ArrayList<>();
    Path sqliteOut = p.base().resolve("plan-sqlite.out");
    for (int i = 0; i < repeat; i++) {
      theirs.add(DiffBenchmark.time(List.of("sh", "-c", "sqlite3 '" + p.flatNew() + "' < '"
          + script + "'"), sqliteOut.toFile(), p.base().resolve("plan-sqlite.log").toFile()));
    }

    double best = ours.stream().min(Double::compare).orElseThrow();
    double sqlite = theirs.stream().min(Double::compare).orElseThrow();
    out.printf("%n== plan %s: %,d files, five rules, %d cores, best of %d ==%n", preset, files,
        Runtime.getRuntime().availableProcessors(), repeat);
    out.printf("%-52s %10s %10s%n", "", "seconds", "vs tierdex");
    out.printf("%-52s %10.2f %10s%n", "tierdex plan (whole process, " + HEAP + ")", best,
        "1.00x");
    out.printf("%-52s %10.2f %9.2fx%n", "sqlite3, one query per rule, flattened table",
        sqlite, sqlite / best);
    out.printf("target: 10M entries within 60 s whole process, driver heap under 1 GiB%n");
    out.printf("tierdex plan runs: %s s; peak RSS: %s%n", DiffBenchmark.format(ours),
        rss.stream().map(k -> String.format(Locale.ROOT, "%.0f MiB", k / 1024.0)).toList());
    out.println(agreement(rules, summary, Files.readString(sqliteOut)));
    out.print(summary.lines().map(l -> "  | " + l + "\n").reduce("", String::concat));
  }

  private static String policyFile(List<Rule> rules, long total, long used, long maxFiles) {
    StringBuilder y = new StringBuilder("""
        # tierdex bench plan: five rules over the diff preset's tree
        min_age: 1h
        pools:
          - name: fast
            id: 1
            capacity: {total: %d, used: %d}
          - name: slow
            id: 2
        exclude:
          - name: tiny
            condition: size < 4KiB
        rules:
        """.formatted(total, used));
    for (Rule r : rules) {
      y.append("  - name: ").append(r.name()).append("\n    from: fast\n    to: slow\n")
          .append("    condition: \"").append(r.yaml()).append("\"\n");
      if (!r.weight().equals("size")) {
        y.append("    weight: ").append(r.weight()).append('\n');
      }
      if (r.limit() != null && r.limit().startsWith("files")) {
        y.append("    limits: {files: ").append(maxFiles).append("}\n");
      } else if (r.limit() != null && r.limit().startsWith("bytes")) {
        y.append("    limits: {bytes: ").append(r.limit().substring(6)).append("}\n");
      } else if (r.limit() != null) {
        y.append("    thresholds: {high: 80, low: 50}\n");
      }
    }
    return y.toString();
  }

  /**
   * The rules as SQLite statements: each scans the table for its files that no exclusion
   * or earlier rule took, ranks them by weight and keeps those within the limit.
   */
  private static String sqliteScript(List<Rule> rules, long freeable) {
    StringBuilder s = new StringBuilder("PRAGMA temp_store = FILE;\n"
        + "CREATE TEMP TABLE plan(rule TEXT, path TEXT, size INTEGER);\n");
    List<String> earlier = new ArrayList<>();
    for (Rule r : rules) {
      String where = "type = 'f' AND NOT (size < 4096)"
          + earlier.stream().map(e -> " AND NOT (" + e + ")").reduce("", String::concat)
          + " AND (" + r.sqlite() + ")";
      String window = "OVER (ORDER BY " + r.weight() + " DESC, size DESC, path"
          + " ROWS UNBOUNDED PRECEDING)";
      String keep;
      if (r.limit() == null) {
        keep = "1";
      } else if (r.limit().startsWith("files")) {
        keep = "n <= " + r.limit().substring(6);
      } else if (r.limit().startsWith("bytes")) {
        keep = "running <= " + r.limit().substring(6);
      } else {
        keep = "running - size < " + freeable + " - (SELECT COALESCE(SUM(size), 0) FROM plan)";
      }
      s.append("INSERT INTO plan SELECT '").append(r.name()).append("', path, size FROM"
          + " (SELECT path, size, ROW_NUMBER() ").append(window).append(" AS n, SUM(size) ")
          .append(window).append(" AS running FROM entries WHERE ").append(where)
          .append(") WHERE ").append(keep).append(";\n");
      earlier.add(r.sqlite());
    }
    return s.append("SELECT rule, COUNT(*), SUM(size) FROM plan GROUP BY rule;\n").toString();
  }

  /** Per rule, tierdex's selected files beside the SQLite plan's. */
  private static String agreement(List<Rule> rules, String summary, String sqlite) {
    Map<String, Long> theirs = new LinkedHashMap<>();
    for (String line : sqlite.strip().split("\n")) {
      String[] f = line.split("\\|");
      if (f.length == 3) {
        theirs.put(f[0], Long.parseLong(f[1]));
      }
    }
    StringBuilder out = new StringBuilder("check: selected files, tierdex / sqlite3:");
    boolean same = true;
    for (Rule r : rules) {
      Matcher m = Pattern.compile("(?m)^\\s+" + Pattern.quote(r.name())
          + "\\s+\\S+\\s+(?:\\S+\\s+){7}([\\d,]+)").matcher(summary);
      long ours = m.find() ? Long.parseLong(m.group(1).replace(",", "")) : -1;
      long sql = theirs.getOrDefault(r.name(), 0L);
      same &= ours == sql;
      out.append(String.format(Locale.ROOT, " %s %,d / %,d;", r.name(), ours, sql));
    }
    return out.append(same ? " the same" : " DIFFERENT").toString();
  }
}
