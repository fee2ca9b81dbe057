package io.tierdex.gufi;

import static io.tierdex.gufi.TestSpark.rows;
import static io.tierdex.gufi.TestSpark.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** uidtouser and gidtogroup, checked against id(1) and getent(1) as GUFI checks against getpwuid. */
class AccountNameTest {
  private static final long NO_SUCH_ID = 3_999_999_999L;

  @Test
  void theCurrentUserAndGroup() throws Exception {
    assertEquals(run("id", "-un"), value("SELECT uidtouser(" + run("id", "-u") + ")"));
    assertEquals(run("id", "-gn"), value("SELECT gidtogroup(" + run("id", "-g") + ")"));
  }

  @Test
  void rootByNumberAndByText() {
    assertEquals(List.of("root", "root", "root", "root"),
        rows("SELECT uidtouser(0), uidtouser('0'), uidtouser(' 0'), gidtogroup(CAST(0 AS INT))").get(0));
  }

  @Test
  void manyIdsInOneQueryMatchGetent() throws Exception {
    for (List<Object> row : rows("SELECT id, uidtouser(id), gidtogroup(id) FROM range(0, 120)")) {
      long id = (Long) row.get(0);
      assertEquals(getent("passwd", id), row.get(1), "uid " + id);
      assertEquals(getent("group", id), row.get(2), "gid " + id);
    }
  }

  /** GUFI returns the id when it has no name; tierdex does the same for ids it cannot have. */
  @Test
  void idsWithoutANameAreShownAsNumbers() throws Exception {
    assumeTrue(String.valueOf(NO_SUCH_ID).equals(getent("passwd", NO_SUCH_ID)), "id exists here");
    assertEquals(List.of("3999999999", "3999999999", "3999999999", "-1", "4294967296", "-1"),
        rows("SELECT uidtouser(3999999999), uidtouser('3999999999'), gidtogroup(3999999999),"
            + " uidtouser(-1), uidtouser(4294967296), gidtogroup('-1')").get(0));
  }

  /** GUFI: NULL and text that is not a number give NULL; a number followed by junk is an error there. */
  @Test
  void nullAndNonNumbers() {
    assertEquals(java.util.Arrays.asList(null, null, null, null, null, null),
        rows("SELECT uidtouser(NULL), uidtouser('abcd'), uidtouser(''), uidtouser('12ab'),"
            + " gidtogroup('0 '), gidtogroup(CAST(NULL AS STRING))").get(0));
  }

  private static String getent(String database, long id) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("getent", database, Long.toString(id)).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor() == 0 ? out.substring(0, out.indexOf(':')) : Long.toString(id);
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), String.join(" ", command));
    return out;
  }
}
