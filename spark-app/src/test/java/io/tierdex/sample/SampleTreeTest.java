package io.tierdex.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sample generator is deterministic: one spec, one tree, whatever the thread count. */
class SampleTreeTest {
  @TempDir Path tmp;

  private static SampleTreeSpec small(boolean fill) {
    return new SampleTreeSpec(3, 2, 5, 7, fill);
  }

  @ParameterizedTest(name = "fill={0}")
  @ValueSource(booleans = {false, true})
  void sameSpecGivesTheSameTree(boolean fill) throws IOException {
    SampleTreeSpec spec = small(fill);
    Path one = tmp.resolve("one");
    Path two = tmp.resolve("two");
    SampleTree.create(spec, one, 1);
    SampleTree.create(spec, two, 4);

    Map<String, Entry> a = describe(one);
    Map<String, Entry> b = describe(two);
    assertEquals(a.keySet(), b.keySet(), "the same relative paths");
    for (String path : a.keySet()) {
      assertEquals(a.get(path), b.get(path), "type, size, mtime and link target of " + path);
    }
    if (fill) {
      for (String path : a.keySet()) {
        if (a.get(path).type() == 'f') {
          assertArrayEquals(Files.readAllBytes(one.resolve(path)),
              Files.readAllBytes(two.resolve(path)), "the bytes of " + path);
        }
      }
    }
  }

  @ParameterizedTest(name = "fill={0}")
  @ValueSource(booleans = {false, true})
  void countsMatchTheSpec(boolean fill) throws IOException {
    SampleTreeSpec spec = small(fill);
    Path root = tmp.resolve("tree");
    SampleTree.create(spec, root, 2);
    Map<String, Entry> tree = describe(root);
    assertEquals(13, spec.directories(), "1 + 3 + 9 directories for fanout 3, depth 2");
    assertEquals(spec.directories(), count(tree, 'd'), "directories");
    assertEquals(spec.files(), count(tree, 'f'), "regular files");
  }

  @Test
  void filledFilesHoldRandomBytesAndSparseFilesReadAsZeros() throws IOException {
    Path filled = tmp.resolve("filled");
    Path sparse = tmp.resolve("sparse");
    SampleTree.create(small(true), filled, 2);
    SampleTree.create(small(false), sparse, 2);
    Map<String, Entry> tree = describe(filled);
    String largest = tree.keySet().stream().filter(p -> tree.get(p).type() == 'f')
        .max(Comparator.comparingLong(p -> tree.get(p).size())).orElseThrow();
    assertTrue(tree.get(largest).size() > 0, "the spec yields some non-empty file");

    assertFalse(isAllZero(head(filled.resolve(largest))), "filled files hold random bytes: "
        + filled.resolve(largest));
    assertTrue(isAllZero(head(sparse.resolve(largest))), "sparse files read as zeros: "
        + sparse.resolve(largest));
  }

  /** The first 64 KiB of a file (sparse sample files can be gigabytes long). */
  private static byte[] head(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(64 * 1024);
    }
  }

  @Test
  void anotherSeedGivesAnotherTree() throws IOException {
    Path one = tmp.resolve("one");
    Path two = tmp.resolve("two");
    SampleTree.create(new SampleTreeSpec(3, 2, 5, 7, false), one, 2);
    SampleTree.create(new SampleTreeSpec(3, 2, 5, 8, false), two, 2);
    Map<String, Entry> a = describe(one);
    Map<String, Entry> b = describe(two);
    assertEquals(a.keySet().stream().filter(p -> a.get(p).type() != 'l').toList(),
        b.keySet().stream().filter(p -> b.get(p).type() != 'l').toList(),
        "names do not depend on the seed");
    assertNotEquals(a, b, "sizes and mtimes depend on the seed");
  }

  @Test
  void creatingIntoAnExistingDirectoryFailsAndNamesIt() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("taken"));
    IOException e = assertThrows(IOException.class,
        () -> SampleTree.create(small(false), root, 1));
    assertTrue(e.getMessage().contains(root.toString()), e.getMessage());
    try (Stream<Path> list = Files.list(root)) {
      assertEquals(0, list.count(), "nothing is written into the existing directory");
    }
  }

  /** One entry of a generated tree; for a directory size and mtime are not compared. */
  record Entry(char type, long size, long mtimeMillis, String linkTarget) {}

  private static Map<String, Entry> describe(Path root) throws IOException {
    Map<String, Entry> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          out.put(rel, new Entry('l', 0, 0, Files.readSymbolicLink(p).toString()));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(rel, new Entry('d', 0, 0, ""));
        } else {
          out.put(rel, new Entry('f', Files.size(p),
              Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis(), ""));
        }
      }
    }
    return out;
  }

  private static long count(Map<String, Entry> tree, char type) {
    return tree.values().stream().filter(e -> e.type() == type).count();
  }

  private static boolean isAllZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
