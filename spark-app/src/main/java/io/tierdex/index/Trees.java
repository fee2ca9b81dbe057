package io.tierdex.index;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Removal of whole index trees (never source trees: only paths tierdex created). */
public final class Trees {
  private Trees() {}

  /**
   * Deletes a tree whose directories may carry their source's restrictive modes: a
   * directory is made writable by its owner before its contents go.
   */
  public static void delete(Path top) throws IOException {
    if (!Files.exists(top, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(top, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(dir));
        if (perms.addAll(EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE))) {
          Files.setPosixFilePermissions(dir, perms);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        // A directory the walker could not even open (mode 0000 or --x): open it up, go again.
        if (e instanceof java.nio.file.AccessDeniedException
            && Files.isDirectory(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(file, EnumSet.of(PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
          delete(file);
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
