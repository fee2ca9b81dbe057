package io.tierdex.migrate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table {@code beegfs entry migrate --verbose} prints, read back into one row per batch
 * path. Columns ({@code path entry_id status original_ids migration_type source_ids
 * destination_ids message}) are padded with spaces, two at least between columns, under a
 * header repeated every page (100 rows by default) with a blank line between pages. Paths may
 * hold spaces, even two in a row, so a line is split at the first run of two spaces after which
 * the rest reads as {@code [entry_id] status ...} and before which is a path of the batch.
 * A line that starts with spaces and reads as no row continues the previous row's message (a
 * multi-line cell).
 */
final class EntryMigrateOutput {
  /** Every status beegfs-go prints (8.x; "migration skipped" in early 8.0 releases). */
  static final List<String> STATUSES = List.of("error", "migration not supported",
      "skipped updating directory", "migration skipped", "migration not needed",
      "migration needed", "migrated file", "updated directory", "background migration started",
      "unknown");
  private static final Pattern REST = Pattern.compile(" {2,}(?:(\\S+) {2,})?("
      + String.join("|", STATUSES) + ")(?: {2,}(.*))? *");
  private static final Pattern HEADER =
      Pattern.compile("(?i)\\s*path\\s+entry_id\\s+status(\\s.*)?");
  /** Columns between status and message: id lists like [101 201], and the id type. */
  private static final Pattern IDS = Pattern.compile("\\[[0-9 ]*\\]");
  private static final Pattern TYPE =
      Pattern.compile("target|group|pool|invalid|unknown ?\\(\\d+\\)|<nil>");

  /** One path's row: the status and the message column, empty if it had none. */
  record Row(String printedPath, String status, String message) {}

  private final Map<String, Row> rows = new HashMap<>();
  private final List<String> strays = new ArrayList<>();

  private EntryMigrateOutput() {}

  /** Reads {@code lines} (stdout) for the batch {@code paths}. */
  static EntryMigrateOutput parse(List<String> lines, Collection<String> paths) {
    EntryMigrateOutput out = new EntryMigrateOutput();
    MountRelativePaths printed = new MountRelativePaths(paths);
    String lastPath = null;
    for (String line : lines) {
      if (line.isBlank() || HEADER.matcher(line).matches() || line.startsWith("Summary: ")) {
        continue;
      }
      String path = null;
      Row row = null;
      Row firstReadable = null;
      for (int i = line.indexOf("  "); i > 0 && path == null; i = line.indexOf("  ", i + 1)) {
        Matcher m = REST.matcher(line).region(i, line.length());
        if (m.matches()) {
          row = new Row(line.substring(0, i), m.group(2), message(m.group(3)));
          firstReadable = firstReadable == null ? row : firstReadable;
          path = printed.resolve(row.printedPath());
        }
      }
      if (path != null) {
        out.rows.putIfAbsent(path, row);
        lastPath = path;
      } else if (firstReadable == null && lastPath != null && line.startsWith("  ")) {
        Row r = out.rows.get(lastPath);
        out.rows.put(lastPath, new Row(r.printedPath(), r.status(),
            (r.message() + " " + line.strip()).strip()));
      } else {
        out.strays.add(line);
        lastPath = null;
      }
    }
    return out;
  }

  /** The row for batch path {@code path}, or null if no line named it. */
  Row row(String path) {
    return rows.get(path);
  }

  /** Lines that are no header, no summary and name no batch path. */
  List<String> strays() {
    return strays;
  }

  private static String message(String rest) {
    if (rest == null) {
      return "";
    }
    String[] cells = rest.strip().split(" {2,}");
    int i = 0;
    for (Pattern column : List.of(IDS, TYPE, IDS, IDS)) {
      if (i < cells.length && column.matcher(cells[i]).matches()) {
        i++;
      }
    }
    return String.join("  ", Arrays.copyOfRange(cells, i, cells.length)).strip();
  }
}
