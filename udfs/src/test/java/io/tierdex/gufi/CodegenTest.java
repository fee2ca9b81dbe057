package io.tierdex.gufi;

import static io.tierdex.gufi.TestSpark.rows;
import static io.tierdex.gufi.TestSpark.session;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every function gives the same rows with Spark's generated code and with its interpreter. */
class CodegenTest {
  private static final String QUERY = "SELECT uidtouser(uid), gidtogroup(uid), uidtouser(CAST(uid AS STRING)),"
      + " modetotxt(mode), strftime('%F %T %Z', t), blocksize(size, 'K'), human_readable_size(size),"
      + " basename(path), ext(path), rpad(path, 12), intcat(size), bytecat(size), agecat(t), epochtoage(t, 'd'),"
      + " hostname() = hostname()"
      + " FROM VALUES (0, 33188, 0, 1536, '/a/b.txt'), (1, 16877, 1700000000, 0, 'c'), (NULL, NULL, NULL, NULL, NULL)"
      + " AS v(uid, mode, t, size, path) ORDER BY t NULLS LAST";
  private static final String AGGREGATES = "SELECT g, stdevs(x), stdevp(x), mode_count(x), median(x)"
      + " FROM (SELECT id % 3 AS g, id % 5 AS x FROM range(0, 100, 1, 3)) GROUP BY g ORDER BY g";

  @AfterEach
  void restore() {
    session().conf().unset("spark.sql.codegen.wholeStage");
    session().conf().unset("spark.sql.codegen.factoryMode");
    session().conf().unset("spark.sql.session.timeZone");
  }

  @Test
  void interpretedAndGeneratedAgree() {
    session().conf().set("spark.sql.session.timeZone", "UTC");
    List<List<Object>> generated = rows(QUERY);
    List<List<Object>> generatedAggregates = rows(AGGREGATES);
    assertEquals(List.of("root", "root", "root", "-rw-r--r--", "1970-01-01 00:00:00 UTC", "2K", "1.5K",
        "b.txt", "txt", "/a/b.txt    ", "K", "K", "Decs"), generated.get(0).subList(0, 13));

    session().conf().set("spark.sql.codegen.wholeStage", "false");
    session().conf().set("spark.sql.codegen.factoryMode", "NO_CODEGEN");
    assertEquals(generated, rows(QUERY));
    assertEquals(generatedAggregates, rows(AGGREGATES));
  }
}
