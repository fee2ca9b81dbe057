package io.tierdex.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading back the table {@code beegfs entry migrate --verbose} prints. */
class BeegfsEntryOutputTest {
  static EntryMigrateOutput.Row row(String printed, String status, String message) {
    return new EntryMigrateOutput.Row(printed, status, message);
  }

  @Test
  void pagesOfMountRelativeRows() {
    List<String> batch = List.of("/mnt/beegfs/p/a.dat", "/mnt/beegfs/p/two  spaces",
        "/mnt/beegfs/p/end space ", "/mnt/beegfs/p/gone", "/mnt/beegfs/p/multi",
        "/mnt/beegfs/p/ü 日本");
    EntryMigrateOutput out = EntryMigrateOutput.parse(List.of(
        "PATH              ENTRY_ID      STATUS                ORIGINAL_IDS  MIGRATION_TYPE"
            + "  SOURCE_IDS  DESTINATION_IDS  MESSAGE",
        "/p/a.dat          1-6705972F-1  migrated file         [101 201]     target"
            + "          [101]       [301]",
        "/p/two  spaces    1-67059730-1  migration not needed  [301 302]     target"
            + "          []          []",
        "",
        "PATH              ENTRY_ID      STATUS                ORIGINAL_IDS  MIGRATION_TYPE"
            + "  SOURCE_IDS  DESTINATION_IDS  MESSAGE",
        "/p/end space                    error                 []            invalid"
            + "         []          []               lstat /mnt/beegfs/p/end space : permission"
            + " denied",
        "/p/multi          1-67059732-1  error                 [101 201]     target"
            + "          [101 201]   []               first line of the error",
        "                                                                                 "
            + "                                  second line",
        "/p/ü 日本         1-67059733-1  migrated file         [101 201]     target"
            + "          [101 201]   [301 302]",
        "/elsewhere/x      1-67059734-1  migrated file         [101]         target"
            + "          [101]       [301]",
        "",
        "Summary: {MigrationStatusUnknown:0 MigrationErrors:2 MigrationNotSupported:0"
            + " MigrationSkippedDirs:0 MigrationNotNeeded:1 MigrationNeeded:0 MigratedFiles:3"
            + " MigrationUpdatedDirs:0 StartedRebalancingFiles:0 StartedRebalancingChunks:0}"),
        batch);

    assertEquals(row("/p/a.dat", "migrated file", ""), out.row("/mnt/beegfs/p/a.dat"));
    assertEquals(row("/p/two  spaces", "migration not needed", ""),
        out.row("/mnt/beegfs/p/two  spaces"));
    assertEquals(row("/p/end space ", "error", "lstat /mnt/beegfs/p/end space : permission denied"),
        out.row("/mnt/beegfs/p/end space "));
    assertEquals(row("/p/multi", "error", "first line of the error second line"),
        out.row("/mnt/beegfs/p/multi"));
    assertEquals(row("/p/ü 日本", "migrated file", ""), out.row("/mnt/beegfs/p/ü 日本"));
    assertNull(out.row("/mnt/beegfs/p/gone"));
    assertEquals(List.of("/elsewhere/x      1-67059734-1  migrated file         [101]         "
        + "target          [101]       [301]"), out.strays());
  }

  @Test
  void absolutePathsAndRowsOfPageSizeZero() {
    EntryMigrateOutput out = EntryMigrateOutput.parse(List.of(
        "/data/a  1-1-1  migrated file  [1]  target  [1]  [2]",
        "/data//b/  1-1-2  error  [1]  target  [1]  []  inode changed during migration"),
        List.of("/data/a", "/data/b"));

    assertEquals(row("/data/a", "migrated file", ""), out.row("/data/a"));
    assertEquals(row("/data//b/", "error", "inode changed during migration"),
        out.row("/data/b"));
  }

  @Test
  void theMountIsTheShortestPrefixThatFits() {
    List<String> batch = List.of("/mnt/beegfs/a/b", "/mnt/beegfs/x/a/b");
    EntryMigrateOutput out = EntryMigrateOutput.parse(List.of(
        "/a/b    1-1-1  migrated file         [1]  target  [1]  [2]",
        "/x/a/b  1-1-2  migration not needed  [2]  target  []   []"), batch);

    assertEquals("migrated file", out.row("/mnt/beegfs/a/b").status());
    assertEquals("migration not needed", out.row("/mnt/beegfs/x/a/b").status());
  }
}
