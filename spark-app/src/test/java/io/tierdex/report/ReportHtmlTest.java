package io.tierdex.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The report pages of both nightly runs: their source, and as headless Chromium draws them. */
class ReportHtmlTest {
  /** Where the screenshot stays after the test, for people to look at. */
  static final Path SCREENSHOT = NightlyRuns.BASE.resolve("report.png");
  private static final Pattern CHART = Pattern.compile("data-chart=\"(\\w+)\"");
  static NightlyRuns runs;

  @BeforeAll
  static void build() throws Exception {
    runs = NightlyRuns.get();
  }

  @Test
  void pageIsSelfContainedAndCarriesTheReport() throws Exception {
    String html = Files.readString(local(runs.yesHtml));
    assertFalse(Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?(https?:|//)").matcher(html)
        .find(), "the page loads nothing from the network");
    assertFalse(html.contains("<script src"), "scripts are inlined");
    assertTrue(html.contains("echarts"), "ECharts is inlined");
    assertEquals(List.of("outcomes", "rules", "sizes", "ages", "users", "directories",
        "changes", "throughput", "history"), charts(html));
    assertFalse(html.contains("<dir>"), "file names are escaped in the page");
    Report fromPage = inlined(html);
    assertEquals(new RunReports(runs.dir).read(runs.yes), fromPage,
        "the page's data is report.json");
    assertTrue(html.contains(ReportHtml.escape(fromPage.summary())), "the summary line");

    String defer = Files.readString(local(runs.deferHtml));
    assertEquals(List.of("outcomes", "rules", "sizes", "ages", "users", "directories",
        "history"), charts(defer), "no diff and no migration: no change or throughput chart");
    assertTrue(defer.contains("What the plan would move (nothing was migrated)"));
  }

  @Test
  void chromiumDrawsEveryChart() throws Exception {
    Optional<HeadlessChromium> chromium = HeadlessChromium.find(NightlyRuns.BASE);
    assumeTrue(chromium.isPresent(), "chromium is not installed (Debian package chromium;"
        + " .ci/run installs it): the report page is not drawn");
    Path page = local(runs.yesHtml);
    List<String> charts = charts(Files.readString(page));

    String dom = chromium.get().dumpDom(page);
    assertTrue(dom.contains("data-charts-rendered=\"" + charts.size() + "\""),
        "every chart drew: " + between(dom, "<body", ">"));
    assertEquals(charts, charts(dom));
    Matcher m = CHART.matcher(dom);
    while (m.find()) {
      String inside = container(dom, m.end());
      assertTrue(inside.contains("<svg"), m.group(1) + " holds no svg: " + inside);
      assertTrue(count(inside, "<path") >= 5, m.group(1) + " drew almost nothing: " + inside);
    }
    assertTrue(dom.contains("odd &lt;dir&gt; &amp;"), "the odd directory is a chart label");
    assertTrue(dom.contains("<td>migrate</td>"), "the phase table");

    Files.deleteIfExists(SCREENSHOT);
    chromium.get().screenshot(page, SCREENSHOT, 1400, 4000);
    BufferedImage png = ImageIO.read(SCREENSHOT.toFile());
    assertEquals(1400, png.getWidth());
    assertEquals(4000, png.getHeight());
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < png.getHeight(); y += 2) {
      for (int x = 0; x < png.getWidth(); x += 2) {
        colours.add(png.getRGB(x, y));
      }
    }
    assertTrue(colours.size() > 200, "a page of charts has many colours, not "
        + colours.size());
  }

  /** What follows a chart's attribute up to the next card, heading or the end of main. */
  private static String container(String dom, int from) {
    int end = dom.length();
    for (String next : List.of("<div class=\"card\"", "<h2", "</main>")) {
      int i = dom.indexOf(next, from);
      if (i >= 0) {
        end = Math.min(end, i);
      }
    }
    return dom.substring(from, end);
  }

  private static Path local(org.apache.hadoop.fs.Path p) {
    return Path.of(p.toUri());
  }

  private static List<String> charts(String html) {
    List<String> out = new ArrayList<>();
    Matcher m = CHART.matcher(html);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static Report inlined(String html) throws Exception {
    String json = between(html, "<script type=\"application/json\" id=\"tierdex-report\">",
        "</script>");
    return new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .readValue(json, Report.class);
  }

  private static String between(String s, String from, String to) {
    int a = s.indexOf(from);
    assertTrue(a >= 0, "no " + from);
    int b = s.indexOf(to, a + from.length());
    return s.substring(a + from.length(), b);
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
