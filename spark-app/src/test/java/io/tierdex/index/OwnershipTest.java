package io.tierdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tierdex.testing.Shell;
import io.tierdex.testing.TierdexCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import io.tierdex.testing.StatOracle;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run as root, the indexer gives every index directory and db.db its source directory's
 * owner and group, also when that owner is root itself and the index parent is setgid
 * (so new files would otherwise silently take the parent's group).
 */
class OwnershipTest {
  @TempDir Path tmp;

  @Test
  void indexFilesBelongToTheSourceDirectoryOwnerEvenUnderASetgidParent() throws Exception {
    assumeTrue(Shell.isRoot(), "needs root to chown");
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("alice/deep"));
    Files.createDirectories(src.resolve("rootonly"));
    Files.writeString(src.resolve("alice/deep/f.txt"), "x");
    Shell.run("chown", "-R", "1234:5678", src.resolve("alice").toString());
    Shell.run("chown", "0:0", src.toString(), src.resolve("rootonly").toString());
    Path parent = tmp.resolve("idx");
    Files.createDirectories(parent);
    Shell.run("chown", "0:4321", parent.toString());
    Shell.run("chmod", "2775", parent.toString());

    TierdexCli.Run r = TierdexCli.run("index", "--threads", "2", src, parent);
    assertEquals(0, r.exit(), r.describe());

    for (String rel : List.of("", "alice", "alice/deep", "rootonly")) {
      StatOracle source = StatOracle.of(src.resolve(rel));
      Path dir = parent.resolve("src").resolve(rel);
      for (Path p : List.of(dir, dir.resolve("db.db"))) {
        StatOracle idx = StatOracle.of(p);
        assertEquals(source.uid() + ":" + source.gid(), idx.uid() + ":" + idx.gid(),
            "owner of " + p);
      }
    }
  }
}
