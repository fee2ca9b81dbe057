package io.tierdex.cli;

import io.tierdex.query.IndexQuery;
import io.tierdex.query.QueryRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Run GUFI-style SQL over an index with Spark, like gufi_query.",
      "Every query sees the views entries, pentries, summary, vrsummary, vrpentries,"
          + " treesummary and xattrs of the whole index, GUFI's SQL functions (path(),"
          + " rpath(), level(), modetotxt(), ...) and a path and a level column on each row.",
      "Unlike gufi_query, which runs -S and -E once per directory, each query runs once"
          + " over the whole index: an aggregate gives one total, not one row per directory;"
          + " -S does not filter which directories -E sees (join on path for that)."
    },
    footer = {"", "Examples:",
      "  tierdex query -E \"SELECT path() || '/' || name FROM pentries WHERE uid = 0\" /srv/index/projects",
      "  tierdex query -d ',' --sql \"SELECT uid, SUM(size) FROM entries GROUP BY uid\" /srv/index/projects"})
final class QueryCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "INDEX",
      description = "The index to query: INDEX_PARENT/<source name>, as tierdex index wrote it.")
  Path index;

  @Option(names = "-S", paramLabel = "SQL", description = "Summary-level SQL (summary, vrsummary).")
  String summarySql;

  @Option(names = "-E", paramLabel = "SQL", description = "Entries-level SQL (entries, pentries,"
      + " vrpentries).")
  String entriesSql;

  @Option(names = "--sql", paramLabel = "SQL", description = "Any Spark SQL over the views.")
  String sql;

  @Option(names = "-d", paramLabel = "DELIM",
      description = "Column delimiter (default: the byte 0x1E, as gufi_query).")
  String delimiter = "\u001e";

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write the rows to FILE instead of stdout.")
  Path output;

  @Option(names = "--min-level", paramLabel = "L", description = "Skip directories above level L.")
  int minLevel = 0;

  @Option(names = "--max-level", paramLabel = "L", description = "Do not descend below level L.")
  int maxLevel = Integer.MAX_VALUE;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (default: ${DEFAULT-VALUE}).")
  String master = "local[*]";

  @Option(names = "--strict",
      description = "Fail on a damaged db.db instead of reporting and skipping it.")
  boolean strict;

  @Override
  public Integer call() throws Exception {
    List<String> queries = new ArrayList<>();
    for (String q : new String[] {summarySql, entriesSql, sql}) {
      if (q != null && !q.isBlank()) {
        queries.add(q);
      }
    }
    if (queries.isEmpty()) {
      throw new IllegalArgumentException("give the SQL to run with -E, -S or --sql");
    }
    if (delimiter.isEmpty()) {
      throw new IllegalArgumentException("-d needs a delimiter of at least one character");
    }
    new IndexQuery().run(new QueryRequest(index, queries,
        delimiter.getBytes(StandardCharsets.UTF_8), output, minLevel, maxLevel, master, strict));
    return Tierdex.OK;
  }
}
