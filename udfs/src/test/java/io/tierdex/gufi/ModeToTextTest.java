package io.tierdex.gufi;

import static io.tierdex.gufi.TestSpark.rows;
import static io.tierdex.gufi.TestSpark.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModeToTextTest {
  @Test
  void documentedValues() {
    assertEquals("-rw-r--r--", value("SELECT modetotxt(33188)"));
    assertEquals("drwxr-xr-x", value("SELECT modetotxt(16877)"));
    assertEquals("lrwxrwxrwx", value("SELECT modetotxt(41471)")); // 0120777
  }

  /** GUFI's modetostr shows only d and l, and no setuid, setgid or sticky letters. */
  @Test
  void specialBitsAndOtherTypesAsGufiShowsThem() {
    assertEquals("-rwxr-xr-x", value("SELECT modetotxt(" + (0100000 | 04755) + ")"));
    assertEquals("drwxrwxrwx", value("SELECT modetotxt(" + (0040000 | 01777) + ")"));
    assertEquals("drwxrwx---", value("SELECT modetotxt(" + (0040000 | 02770) + ")"));
    assertEquals("-rw-rw-rw-", value("SELECT modetotxt(" + (0140000 | 0666) + ")")); // socket
    assertEquals("-rw-rw----", value("SELECT modetotxt(" + (0060000 | 0660) + ")")); // block device
    assertEquals("----------", value("SELECT modetotxt(0)"));
  }

  /** GUFI's own test: every permission of a file and of a directory. */
  @Test
  void everyPermissionOfFilesDirectoriesAndLinks() {
    List<String> expected = new ArrayList<>();
    for (String type : new String[] {"-", "d", "l"}) {
      for (int perm = 0; perm < 01000; perm++) {
        expected.add(type + PosixFilePermissions.toString(permissions(perm)));
      }
    }
    List<String> actual = rows("SELECT modetotxt(CASE id DIV 512 WHEN 0 THEN 32768 WHEN 1 THEN 16384 ELSE 40960 END"
            + " + id % 512) FROM range(1536) ORDER BY id").stream()
        .map(row -> (String) row.get(0))
        .toList();
    assertEquals(expected, actual);
  }

  @Test
  void nullAndText() {
    assertNull(value("SELECT modetotxt(NULL)"));
    assertEquals("-rw-r--r--", value("SELECT modetotxt('33188')"));
  }

  /** The JDK's own reading of the nine permission bits, as an independent reference. */
  private static Set<PosixFilePermission> permissions(int mode) {
    PosixFilePermission[] byBit = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (int bit = 0; bit < 9; bit++) {
      if ((mode & (1 << bit)) != 0) {
        set.add(byBit[bit]);
      }
    }
    return set;
  }
}
