package io.tierdex.gufi;

import static io.tierdex.gufi.TestSpark.session;
import static io.tierdex.gufi.TestSpark.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HostnameTest {
  @Test
  void isTheKernelsHostName() throws Exception {
    Process uname = new ProcessBuilder("uname", "-n").start();
    String expected = new String(uname.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, uname.waitFor());
    assertFalse(expected.isEmpty());
    assertEquals(expected, value("SELECT hostname()"));
  }

  /** Evaluated per row where the row is read, not folded into the driver's name at planning. */
  @Test
  void isNotFoldedIntoAConstant() {
    String plan = session().sql("SELECT hostname() AS h FROM range(2)").queryExecution().optimizedPlan().toString();
    assertTrue(plan.contains("hostname()"), plan);
  }
}
