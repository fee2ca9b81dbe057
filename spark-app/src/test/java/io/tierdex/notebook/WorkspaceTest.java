package io.tierdex.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a notebook finds its index: the variable, else the demo here or one level up. */
class WorkspaceTest {
  @TempDir
  Path tmp;

  @Test
  void findsTheDemoFromTheNotebooksDirectory() throws Exception {
    Path index = Files.createDirectories(tmp.resolve("tierdex-demo/index/sample"));
    Path notebooks = Files.createDirectories(tmp.resolve("notebooks"));
    assertEquals(index, find(null, notebooks));
    assertEquals(index, find("", tmp));
  }

  @Test
  void theVariableWinsAndAMissingPathNamesIt() throws Exception {
    Files.createDirectories(tmp.resolve("tierdex-demo/index/sample"));
    Path mine = Files.createDirectories(tmp.resolve("srv/index/projects"));
    assertEquals(mine, find(mine.toString(), tmp));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> find(tmp.resolve("nowhere").toString(), tmp));
    assertTrue(e.getMessage().startsWith("cannot find an index root at " + tmp.resolve("nowhere")
        + " (TIERDEX_INDEX)") && e.getMessage().contains("set TIERDEX_INDEX to"), e.getMessage());
  }

  @Test
  void withoutTheDemoTheMessageSaysHowToMakeIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> find(null, tmp));
    assertTrue(e.getMessage().contains(tmp.resolve("tierdex-demo/index/sample").toString())
        && e.getMessage().contains("set TIERDEX_INDEX")
        && e.getMessage().contains("submit/tierdex run"), e.getMessage());
  }

  static Path find(String given, Path here) {
    return Workspace.find(given, here, "TIERDEX_INDEX", "tierdex-demo/index/sample",
        "an index root", true);
  }
}
