package io.tierdex.gufi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * User and group names of numeric ids, as this node's name service knows them, cached for
 * the life of the JVM (one lookup per distinct id per executor).
 *
 * <p>GUFI calls {@code getpwuid_r}/{@code getgrgid_r}, which go through NSS and so see
 * LDAP and sssd accounts. The JDK has no id-to-name lookup, and parsing {@code
 * /etc/passwd} would miss directory-service accounts that own most files on a cluster, so
 * a miss runs {@code getent passwd <id>} (or {@code group}): the same NSS answer, one
 * short process per distinct id. Only where {@code getent} cannot be started does this
 * fall back to {@code /etc/passwd} and {@code /etc/group}.
 *
 * <p>An id without a name, or one the name service does not answer for within {@value
 * #TIMEOUT_SECONDS} s, is shown as its number, as {@code ls -l} does; GUFI also returns
 * the number for an id without a name, and aborts the query when the lookup itself fails.
 */
final class AccountNames {
  private AccountNames() {}

  static final long MAX_ID = 0xFFFF_FFFFL;
  static final int TIMEOUT_SECONDS = 10;

  private static final Map<Long, UTF8String> USERS = new ConcurrentHashMap<>();
  private static final Map<Long, UTF8String> GROUPS = new ConcurrentHashMap<>();

  /** The user name of {@code uid}, or {@code null} when it has none. */
  static UTF8String user(long uid) {
    return name(USERS, "passwd", uid);
  }

  /** The group name of {@code gid}, or {@code null} when it has none. */
  static UTF8String group(long gid) {
    return name(GROUPS, "group", gid);
  }

  private static UTF8String name(Map<Long, UTF8String> cache, String database, long id) {
    if (id < 0 || id > MAX_ID) {
      return null; // not an id: no lookup, and nothing cached for garbage values
    }
    UTF8String name = cache.computeIfAbsent(id, key -> lookup(database, key));
    return name.numBytes() == 0 ? null : name;
  }

  /** The name, or the empty string for "no name" (the cache cannot hold null). */
  private static UTF8String lookup(String database, long id) {
    byte[] entry;
    try {
      entry = getent(database, id);
    } catch (IOException cannotRunGetent) {
      entry = fromFile(Path.of("/etc", database), id);
    }
    int colon = entry == null ? -1 : indexOf(entry, (byte) ':');
    return colon > 0 ? UTF8String.fromBytes(entry, 0, colon) : UTF8String.EMPTY_UTF8;
  }

  /** The {@code getent} line for {@code id}, or {@code null} if there is none. */
  private static byte[] getent(String database, long id) throws IOException {
    // Output goes to a file, not a pipe: a big group's member list could fill the pipe
    // while we wait with a timeout, and reading the pipe first could wait forever.
    Path output = Files.createTempFile("tierdex-getent-", ".txt");
    try {
      Process process = new ProcessBuilder("getent", database, Long.toString(id))
          .redirectOutput(output.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      // Exit 2 is "no such id"; anything but 0 means no name to show.
      return finished(process) && process.exitValue() == 0 ? Files.readAllBytes(output) : null;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static boolean finished(Process process) {
    try {
      if (process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        return true;
      }
      process.destroyForcibly();
      return false;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      // Thrown, not returned, so the cache does not remember an interrupted lookup.
      throw new IllegalStateException("interrupted while looking up a user or group name", e);
    }
  }

  /** The {@code /etc/passwd} or {@code /etc/group} line whose third field is {@code id}. */
  private static byte[] fromFile(Path file, long id) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return null;
    }
    String key = Long.toString(id);
    for (String line : lines) {
      String[] fields = line.split(":", 4);
      if (fields.length >= 3 && fields[2].equals(key)) {
        return line.getBytes(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
