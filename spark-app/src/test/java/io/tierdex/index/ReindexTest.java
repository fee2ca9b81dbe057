package io.tierdex.index;

import static io.tierdex.testing.IndexFiles.DB;
import static io.tierdex.testing.IndexFiles.directories;
import static io.tierdex.testing.IndexFiles.directoriesWithDb;
import static io.tierdex.testing.IndexFiles.entryNames;
import static io.tierdex.testing.IndexFiles.leftovers;
import static io.tierdex.testing.IndexFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.cli.Tierdex;
import io.tierdex.testing.TierdexCli;
import io.tierdex.testing.TierdexCli.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-indexing into the same parent replaces the previous index, leaving nothing stale. */
class ReindexTest {
  @TempDir Path tmp;
  private Path src;
  private Path parent;
  private Path index;

  @BeforeEach
  void createTree() throws IOException {
    src = tmp.resolve("src");
    write(src.resolve("keep.txt"), "k");
    write(src.resolve("doomed.txt"), "d");
    write(src.resolve("docs/readme.txt"), "r");
    write(src.resolve("old/inner/deep.txt"), "x");
    write(src.resolve("old/gone.txt"), "g");
    parent = tmp.resolve("idx");
    index = parent.resolve("src");
  }

  @Test
  void reindexMatchesTheChangedSource() throws Exception {
    indexOk();
    assertEquals(directories(src), directories(index), "first index mirrors the source");

    deleteTree(src.resolve("old"));
    Files.delete(src.resolve("doomed.txt"));
    write(src.resolve("fresh.txt"), "f");
    write(src.resolve("newdir/born.txt"), "b");
    Run run = indexOk();

    assertEquals(Set.of(".", "docs", "newdir"), directories(src), "test setup");
    assertEquals(directories(src), directories(index),
        "the index has exactly the current directories\n" + run.describe());
    assertEquals(directories(src), directoriesWithDb(index));
    assertEquals(Set.of("keep.txt", "fresh.txt"), entryNames(index.resolve(DB)),
        "no row for the deleted file, a row for the new one");
    assertEquals(Set.of("born.txt"), entryNames(index.resolve("newdir").resolve(DB)));
    assertEquals(Set.of(), leftovers(parent), "no staging or retired index may remain");
  }

  @Test
  void staleDirectoriesOfACrashedRunAreRemoved() throws Exception {
    indexOk();
    write(parent.resolve(".tierdex-new.src/crashed/db.db"), "half-written");
    write(parent.resolve(".tierdex-old.src/retired/db.db"), "not yet deleted");
    // A crashed run may leave directories already sealed with restrictive modes.
    Files.setPosixFilePermissions(parent.resolve(".tierdex-new.src/crashed"),
        PosixFilePermissions.fromString("r-x------"));

    Run run = indexOk();

    assertEquals(Set.of(), leftovers(parent), run.describe());
    assertEquals(directories(src), directories(index));
    assertFalse(Files.exists(index.resolve("crashed")), "nothing of the crashed run is used");
  }

  @Test
  void staleStagingBeforeTheFirstRunIsRemoved() throws Exception {
    write(parent.resolve(".tierdex-new.src/junk.txt"), "junk");
    Run run = indexOk();
    assertEquals(Set.of(), leftovers(parent), run.describe());
    assertEquals(directories(src), directoriesWithDb(index));
    assertFalse(Files.exists(index.resolve("junk.txt")));
  }

  @Test
  void otherIndexesInTheParentAreLeftAlone() throws Exception {
    Path other = tmp.resolve("other");
    write(other.resolve("o.txt"), "o");
    Run first = TierdexCli.run("index", other, parent);
    assertEquals(Tierdex.OK, first.exit(), first.describe());

    indexOk();
    indexOk();

    assertEquals(Set.of("o.txt"), entryNames(parent.resolve("other").resolve(DB)),
        "re-indexing src must not touch the index of another source");
    assertTrue(Files.isRegularFile(parent.resolve(DB)), "the parent keeps its db.db");
  }

  @Test
  void severalSourcesAreIndexedSideBySide() throws Exception {
    Path other = tmp.resolve("other");
    write(other.resolve("o.txt"), "o");
    write(other.resolve("x/y/z.txt"), "z");

    Run run = TierdexCli.run("index", src, other, parent);

    assertEquals(Tierdex.OK, run.exit(), run.describe());
    assertEquals(directories(src), directoriesWithDb(index), run.describe());
    assertEquals(directories(other), directoriesWithDb(parent.resolve("other")),
        run.describe());
    assertEquals(Set.of("z.txt"), entryNames(parent.resolve("other/x/y").resolve(DB)));
    assertEquals(Set.of(), leftovers(parent), run.describe());
  }

  private Run indexOk() {
    Run run = TierdexCli.run("index", src, parent);
    assertEquals(Tierdex.OK, run.exit(), run.describe());
    return run;
  }

  private static void deleteTree(Path top) throws IOException {
    try (Stream<Path> walk = Files.walk(top)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
