package io.tierdex.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A report as one self-contained {@code report.html}: the figures as tables and headings
 * written here, the charts drawn in the browser by the vendored Apache ECharts
 * ({@code io/tierdex/report/echarts.common.min.js}, see VENDORED.md there) from the report
 * inlined as JSON. No network: everything the page needs is in it.
 */
public final class ReportHtml {
  private static final String RESOURCES = "/io/tierdex/report/";
  private static final Pattern SLOT = Pattern.compile("\\{\\{(\\w+)}}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One chart card: the chart's name in report-charts.js, its heading and caption. */
  private record Chart(String name, String title, String caption) {}

  private ReportHtml() {}

  public static byte[] render(Report r) {
    return page(r).getBytes(StandardCharsets.UTF_8);
  }

  /** The page, with one {@code data-chart} element per chart the report has data for. */
  static String page(Report r) {
    StringBuilder s = new StringBuilder();
    section(s, "The run", List.of(facts(r), phases(r)));
    Report.Moves m = r.moves();
    boolean planned = m != null && m.basis().equals("planned");
    String moved = planned ? "planned" : "moved";
    String fast = m != null && m.fastPools() != null
        ? String.join(", ", m.fastPools().pools()) : "the fast pools";
    if (m != null) {
      section(s, planned ? "What the plan would move (nothing was migrated)"
          : "What moved, per outcome and rule", List.of(
          chart(new Chart("outcomes", "Outcomes", planned
              ? "Files and bytes the plan selected; no migration ran."
              : "Files and bytes per ledger outcome (bytes: the files' sizes).")),
          chart(new Chart("rules", "Per rule", "Files and bytes per policy rule, stacked by"
              + " outcome."))));
    }
    List<String> dist = new ArrayList<>();
    if (r.sizes() != null) {
      dist.add(chart(new Chart("sizes", "By size", "Files " + moved + " (blue) and remaining on "
          + fast + " (orange) by size; each bucket is 16 times the one before.")));
    }
    if (r.ages() != null) {
      dist.add(chart(new Chart("ages", "By age", "The same by time since the last"
          + " modification (mtime), at the run's start.")));
    }
    section(s, "Sizes and ages: " + moved + " and remaining on " + fast, dist);
    List<String> who = new ArrayList<>();
    if (r.topUsers() != null && !r.topUsers().isEmpty()) {
      who.add(chart(new Chart("users", "Top users", "The owners of the most bytes " + moved
          + " (top 10).")));
    }
    if (r.topDirectories() != null && !r.topDirectories().isEmpty()) {
      who.add(chart(new Chart("directories", "Top directories", "The directories with the"
          + " most bytes " + moved + ", each file counted in its own directory (top 10).")));
    }
    section(s, "Whose files, and where", who);
    List<String> flow = new ArrayList<>();
    if (r.changes() != null) {
      flow.add(chart(new Chart("changes", "Changes since the last snapshot", "Entries and"
          + " bytes per kind of change from " + r.changes().old() + " to "
          + r.changes().current() + ".")));
    }
    if (r.throughput() != null) {
      flow.add(chart(new Chart("throughput", "Throughput", "Files MIGRATED and their bytes,"
          + " by when each move ended, per " + r.throughput().bucketSeconds() + " s from "
          + r.throughput().start() + ".")));
    }
    section(s, "Changes and throughput", flow);
    List<String> last = new ArrayList<>();
    if (!r.history().isEmpty()) {
      last.add(chart(new Chart("history", "Run history", "The last " + r.history().size()
          + " runs with a report: files and bytes moved, files failed.")));
    }
    if (!r.notes().isEmpty()) {
      StringBuilder n = new StringBuilder("<div class=\"card\"><h3>Notes</h3><ul class=\"notes\">");
      r.notes().forEach(x -> n.append("<li>").append(escape(x)).append("</li>"));
      last.add(n.append("</ul></div>").toString());
    }
    section(s, "History", last);
    Map<String, String> slots = Map.of(
        "title", escape("tierdex run " + r.run()),
        "summary", escape(r.summary()),
        "meta", escape(meta(r)),
        "run", escape(r.run()),
        "sections", s.toString(),
        "data", data(r),
        "echarts", resource("echarts.common.min.js"),
        "charts", resource("report-charts.js"));
    return fill(resource("report-template.html"), slots::get);
  }

  private static String facts(Report r) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"mode", r.mode()});
    rows.add(new String[] {"committed", r.committed() ? "yes" : "no"});
    rows.add(new String[] {"exit code", String.valueOf(r.exitCode())});
    rows.add(new String[] {"started", r.started()});
    rows.add(new String[] {"finished", r.finished()});
    rows.add(new String[] {"sources", String.join(", ", r.sourceRoots())});
    if (r.inputs() != null) {
      rows.add(new String[] {"snapshot run", orNone(r.inputs().snapshot())});
      rows.add(new String[] {"diff run", orNone(r.inputs().diff())});
      rows.add(new String[] {"plan run", orNone(r.inputs().plan())});
      if (r.inputs().policies() != null) {
        rows.add(new String[] {"policies", r.inputs().policies()});
      }
    }
    Report.Moves m = r.moves();
    if (m != null && m.moveSeconds() != null) {
      rows.add(new String[] {"move stage", Quantities.seconds(m.moveSeconds())});
    }
    if (m != null && m.fastPools() != null) {
      rows.add(new String[] {"left on " + String.join(", ", m.fastPools().pools()),
          Quantities.count(m.fastPools().files()) + " files, "
              + Quantities.bytes(m.fastPools().bytes())});
    }
    StringBuilder t = new StringBuilder("<div class=\"card\"><h3>Facts</h3><table>");
    for (String[] row : rows) {
      t.append("<tr><td>").append(escape(row[0])).append("</td><td class=\"text\">")
          .append(escape(row[1])).append("</td></tr>");
    }
    return t.append("</table></div>").toString();
  }

  private static String phases(Report r) {
    double total = r.phases().stream().mapToDouble(Report.Phase::seconds).sum();
    StringBuilder t = new StringBuilder("<div class=\"card\"><h3>Phases</h3>");
    if (r.phases().isEmpty()) {
      return t.append("<p class=\"what\">The run reported no phases.</p></div>").toString();
    }
    t.append("<table id=\"phases\"><tr><th>phase</th><th>seconds</th><th>share</th></tr>");
    for (Report.Phase p : r.phases()) {
      t.append("<tr><td>").append(escape(p.name())).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.1f", p.seconds())).append("</td><td>")
          .append(total > 0 ? String.format(Locale.ROOT, "%.0f%%", 100 * p.seconds() / total)
              : "").append("</td></tr>");
    }
    t.append("<tr><th>total</th><th>").append(String.format(Locale.ROOT, "%.1f", total))
        .append("</th><th></th></tr>");
    return t.append("</table></div>").toString();
  }

  private static String chart(Chart c) {
    return "<div class=\"card\"><h3>" + escape(c.title()) + "</h3><p class=\"what\">"
        + escape(c.caption()) + "</p><div class=\"chart\" data-chart=\"" + c.name()
        + "\"></div></div>";
  }

  private static void section(StringBuilder s, String heading, List<String> cards) {
    if (cards.isEmpty()) {
      return;
    }
    s.append("<h2>").append(escape(heading)).append("</h2>\n<div class=\"row\">");
    cards.forEach(s::append);
    s.append("</div>\n");
  }

  private static String meta(Report r) {
    List<String> parts = new ArrayList<>();
    parts.add("mode " + r.mode());
    parts.add(r.committed() ? "committed" : "not committed");
    parts.add("exit code " + r.exitCode());
    parts.add("started " + r.started());
    try {
      parts.add(Quantities.seconds(Duration.between(Instant.parse(r.started()),
          Instant.parse(r.finished())).toMillis() / 1000.0));
    } catch (RuntimeException e) { // a hand-edited report: leave the duration out
    }
    if (!r.sourceRoots().isEmpty()) {
      parts.add(String.join(", ", r.sourceRoots()));
    }
    return String.join(" \u00b7 ", parts);
  }

  /** The report as JSON that cannot end the script element it sits in. */
  private static String data(Report r) {
    try {
      // '<' occurs only inside JSON strings, where \u003c means the same
      return JSON.writeValueAsString(r).replace("<", "\\u003c");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report of run " + r.run()
          + " as JSON: " + e.getMessage(), e);
    }
  }

  /** {@code template} with each {{name}} replaced once; replacements are not rescanned. */
  private static String fill(String template, Function<String, String> values) {
    Matcher m = SLOT.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 800_000);
    while (m.find()) {
      String v = values.apply(m.group(1));
      if (v == null) {
        throw new IllegalStateException("report-template.html: no value for {{" + m.group(1)
            + "}}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    return m.appendTail(out).toString();
  }

  private static String resource(String name) {
    try (InputStream in = ReportHtml.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("the tierdex jar lacks " + RESOURCES + name
            + "; rebuild it with mvn package");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCES + name, e);
    }
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String orNone(String s) {
    return s == null ? "none" : s;
  }
}
