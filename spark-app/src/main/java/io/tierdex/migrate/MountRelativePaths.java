package io.tierdex.migrate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the batch path a path printed by {@code beegfs} names. BeeGFS 8 prints paths relative
 * to the BeeGFS mount point ({@code /dir/f} for {@code /mnt/beegfs/dir/f}; see
 * GetRelativePathWithinMount in beegfs-go) and its output never names the mount point, so it is
 * inferred: the first printed path that is the end of some batch path gives the candidates (the
 * prefixes that make it a batch path, {@code ""} if it is one as printed). The shortest candidate
 * is the mount point: every batch path lies under it, so any longer candidate is a directory
 * inside it that happens to hold the same relative path. Later printed paths are read with it.
 */
final class MountRelativePaths {
  /** Batch paths, normalized as beegfs prints them, to the path as given. */
  private final Map<String, String> given = new HashMap<>();
  /** Candidate mount points, shortest first; null until a printed path matched. */
  private List<String> mounts;

  MountRelativePaths(Collection<String> paths) {
    for (String p : paths) {
      given.putIfAbsent(Admission.normalize(p), p);
    }
  }

  /** The batch path {@code printed} names, or null if it names none. */
  String resolve(String printed) {
    String p = Admission.normalize(printed);
    if (mounts == null) {
      List<String> found = candidates(p);
      if (found.isEmpty()) {
        return null;
      }
      mounts = found;
    }
    for (String m : mounts) {
      String q = given.get(m + p);
      if (q != null) {
        return q;
      }
    }
    return null;
  }

  private List<String> candidates(String p) {
    List<String> found = new ArrayList<>();
    for (String q : given.keySet()) {
      if (q.equals(p)) {
        found.add("");
      } else if (p.startsWith("/") && q.endsWith(p)) {
        found.add(q.substring(0, q.length() - p.length()));
      }
    }
    found.sort(Comparator.comparingInt(String::length));
    return found;
  }
}
