package io.tierdex.index;

import static io.tierdex.testing.IndexFiles.DB;
import static io.tierdex.testing.IndexFiles.directories;
import static io.tierdex.testing.IndexFiles.directoriesWithDb;
import static io.tierdex.testing.IndexFiles.entryNames;
import static io.tierdex.testing.IndexFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.cli.Tierdex;
import io.tierdex.testing.TierdexCli;
import io.tierdex.testing.TierdexCli.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --min-level} and {@code --max-level} as in GUFI's dir2index: the source is level
 * 0; a directory above the min level gets an index directory but no db.db; a directory at
 * the max level is indexed with its files, but its subdirectories are not visited.
 */
class LevelsTest {
  @TempDir Path tmp;
  private Path src;
  private Path parent;

  /** src/a/b/c: levels 0 to 3, each directory with one file named after its level. */
  @BeforeEach
  void createTree() throws IOException {
    src = tmp.resolve("src");
    write(src.resolve("f0.txt"), "0");
    write(src.resolve("a/f1.txt"), "1");
    write(src.resolve("a/b/f2.txt"), "2");
    write(src.resolve("a/b/c/f3.txt"), "3");
    parent = tmp.resolve("idx");
  }

  @Test
  void withoutLevelsEveryDirectoryIsIndexed() throws Exception {
    index();
    Path index = parent.resolve("src");
    assertEquals(Set.of(".", "a", "a/b", "a/b/c"), directories(index));
    assertEquals(Set.of(".", "a", "a/b", "a/b/c"), directoriesWithDb(index));
    assertOwnFile(index, ".", "f0.txt");
    assertOwnFile(index, "a/b/c", "f3.txt");
  }

  @Test
  void maxLevelOneIndexesTheSourceAndItsChildrenOnly() throws Exception {
    Run run = index("--max-level", 1);
    Path index = parent.resolve("src");
    assertEquals(Set.of(".", "a"), directories(index),
        "src/a is at the max level: indexed, but src/a/b gets no index directory\n"
            + run.describe());
    assertEquals(Set.of(".", "a"), directoriesWithDb(index));
    assertOwnFile(index, ".", "f0.txt");
    assertOwnFile(index, "a", "f1.txt");
  }

  @Test
  void maxLevelZeroIndexesOnlyTheSource() throws Exception {
    index("--max-level", 0);
    Path index = parent.resolve("src");
    assertEquals(Set.of("."), directories(index));
    assertOwnFile(index, ".", "f0.txt");
  }

  @Test
  void minLevelOneLeavesTheSourceWithoutADatabase() throws Exception {
    Run run = index("--min-level", 1);
    Path index = parent.resolve("src");
    assertEquals(Set.of(".", "a", "a/b", "a/b/c"), directories(index),
        "every directory still gets an index directory\n" + run.describe());
    assertEquals(Set.of("a", "a/b", "a/b/c"), directoriesWithDb(index),
        "only directories at level >= 1 get a db.db\n" + run.describe());
    assertOwnFile(index, "a", "f1.txt");
    assertOwnFile(index, "a/b", "f2.txt");
    assertOwnFile(index, "a/b/c", "f3.txt");
  }

  @Test
  void minAndMaxLevelTogether() throws Exception {
    index("--min-level", 1, "--max-level", 2);
    Path index = parent.resolve("src");
    assertEquals(Set.of(".", "a", "a/b"), directories(index));
    assertEquals(Set.of("a", "a/b"), directoriesWithDb(index));
  }

  @Test
  void minLevelEqualToMaxLevelIndexesThatLevelOnly() throws Exception {
    index("--min-level", 2, "--max-level", 2);
    Path index = parent.resolve("src");
    assertEquals(Set.of(".", "a", "a/b"), directories(index));
    assertEquals(Set.of("a/b"), directoriesWithDb(index));
    assertOwnFile(index, "a/b", "f2.txt");
  }

  private Run index(Object... options) {
    List<Object> args = new ArrayList<>(List.of("index"));
    args.addAll(List.of(options));
    args.add(src);
    args.add(parent);
    Run run = TierdexCli.run(args.toArray());
    assertEquals(Tierdex.OK, run.exit(), run.describe());
    assertTrue(Files.isRegularFile(parent.resolve(DB)),
        "the index parent gets its empty db.db\n" + run.describe());
    return run;
  }

  /** The db.db of {@code dir} lists exactly its one file (no rows for subdirectories). */
  private static void assertOwnFile(Path index, String dir, String file) throws SQLException {
    assertEquals(Set.of(file), entryNames(index.resolve(dir).resolve(DB)),
        "entries of " + dir + "/db.db");
  }
}
