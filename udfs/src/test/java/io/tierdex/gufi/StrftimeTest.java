package io.tierdex.gufi;

import static io.tierdex.gufi.TestSpark.overLongs;
import static io.tierdex.gufi.TestSpark.rows;
import static io.tierdex.gufi.TestSpark.session;
import static io.tierdex.gufi.TestSpark.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * strftime against GNU date(1), which formats with the same C library conventions, in the
 * POSIX locale and the session time zone, as GUFI's test compares with strftime(3).
 */
class StrftimeTest {
  /** GUFI's unit test format: every POSIX conversion. */
  private static final String GUFI_FORMAT = "%a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %m %M %n %p"
      + " %r %R %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %%";
  private static final String GNU_FORMAT = "%_d|%-d|%5d|%_5d|%-5d|%^a|%#a|%#p|%^p|%P|%10A|%010A|%-10A|%#Z|%^Z"
      + "|%Ey|%EY|%Ec|%Od|%OB|%Ed|%Q|%+|%-m/%-d/%Y %-I:%M %p|%_H|%k|%l|%-j|%3e|%s|%^c|%30c|%^B";

  @TempDir Path dir;

  @AfterEach
  void restoreTimeZone() {
    session().conf().unset("spark.sql.session.timeZone");
  }

  @Test
  void epochInUtc() {
    session().conf().set("spark.sql.session.timeZone", "UTC");
    assertEquals("1970-01-01 00:00:00 Thursday UTC +0000", value("SELECT strftime('%Y-%m-%d %H:%M:%S %A %Z %z', 0)"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"America/Denver", "UTC", "Asia/Kolkata"})
  void matchesDate(String zone) throws Exception {
    session().conf().set("spark.sql.session.timeZone", zone);
    List<Long> times = times();
    for (String format : List.of(GUFI_FORMAT, GNU_FORMAT, "plain text", "", "%H%M%S%%%Y")) {
      List<String> expected = date(zone, format, times);
      List<Object> actual = overLongs("strftime('" + format.replace("'", "''") + "', x)", times);
      for (int i = 0; i < times.size(); i++) {
        assertEquals(expected.get(i), actual.get(i), zone + " t=" + times.get(i) + " format=" + format);
      }
    }
  }

  /** As date(1) prints "+abc%": glibc keeps a lone '%' at the end. */
  @Test
  void percentAtTheEnd() {
    assertEquals("ends in %", value("SELECT strftime('ends in %', 0)"));
  }

  @Test
  void nulls() {
    assertEquals(Arrays.asList(null, null), rows("SELECT strftime(NULL, 0), strftime('%Y', NULL)").get(0));
    assertNull(value("SELECT strftime(CAST(NULL AS STRING), 1700000000)"));
  }

  /** Hours of two days, DST changes in Denver, year and ISO-week edges, a leap day, pre-1970. */
  private static List<Long> times() {
    List<Long> times = new ArrayList<>();
    for (long t = 1_699_142_400L; t < 1_699_142_400L + 48 * 3600; t += 3600 + 61) {
      times.add(t);
    }
    times.addAll(List.of(0L, -1L, -86_400L * 365 * 30, 951_782_400L, 1_678_611_599L, 1_678_611_600L,
        1_699_171_199L, 1_699_171_200L, 1_609_372_800L, 1_609_804_800L, 1_704_067_200L, 1_735_516_800L,
        1_709_164_800L, 946_684_800L, 4_102_444_800L, 1_230_681_600L, 1_262_217_600L));
    return times;
  }

  /** date +FORMAT for each time, in the POSIX locale and the given zone. */
  private List<String> date(String zone, String format, List<Long> times) throws IOException, InterruptedException {
    Path input = dir.resolve("times");
    Files.write(input, times.stream().map(t -> "@" + t).toList());
    String separator = "\n<<end>>\n";
    ProcessBuilder builder = new ProcessBuilder("date", "-f", input.toString(), "+" + format + "%n<<end>>");
    builder.environment().put("TZ", zone);
    builder.environment().put("LC_ALL", "C");
    Process date = builder.start();
    String out = new String(date.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, date.waitFor(), new String(date.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    List<String> results = new ArrayList<>(Arrays.asList(out.split(separator, -1)));
    results.remove(results.size() - 1); // after the last separator: nothing
    assertEquals(times.size(), results.size(), out);
    return results;
  }
}
