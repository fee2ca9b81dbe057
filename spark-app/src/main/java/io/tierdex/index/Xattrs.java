package io.tierdex.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jnr.ffi.LastError;
import jnr.ffi.Runtime;

/**
 * Reads extended attributes with {@code llistxattr}/{@code lgetxattr}: the JDK's
 * attribute view hides the namespace prefix and cannot read a symlink's own attributes.
 * Like GUFI, only {@code user.*} attributes with a non-empty value are kept.
 */
final class Xattrs {
  private static final byte[] USER = "user.".getBytes(StandardCharsets.US_ASCII);
  private static final int ERANGE = 34;
  private static final int ENOTSUP = 95;
  private static final int ENODATA = 61;

  /** The two libc calls, bound by jnr-ffi. */
  public interface LibC {
    long llistxattr(String path, byte[] list, long size);

    long lgetxattr(String path, byte[] name, byte[] value, long size);
  }

  private final LibC libc;
  private final Runtime runtime;

  Xattrs(LibC libc) {
    this.libc = libc;
    this.runtime = Runtime.getRuntime(libc);
  }

  XattrList user(String path) throws IOException {
    byte[] list = new byte[256];
    long len;
    while ((len = libc.llistxattr(path, list, list.length)) < 0) {
      int errno = LastError.getLastError(runtime);
      if (errno == ENOTSUP) {
        return XattrList.NONE;
      }
      if (errno != ERANGE) {
        throw new IOException("llistxattr " + path + ": errno " + errno);
      }
      list = new byte[list.length * 4];
    }
    List<XattrList.Xattr> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < len; i++) {
      if (list[i] != 0) {
        continue;
      }
      byte[] name = Arrays.copyOfRange(list, start, i);
      start = i + 1;
      if (name.length > USER.length && Arrays.equals(name, 0, USER.length, USER, 0, USER.length)) {
        byte[] value = value(path, name);
        if (value.length > 0) {
          out.add(new XattrList.Xattr(name, value));
        }
      }
    }
    return out.isEmpty() ? XattrList.NONE : new XattrList(List.copyOf(out));
  }

  private byte[] value(String path, byte[] name) throws IOException {
    byte[] cname = Arrays.copyOf(name, name.length + 1); // NUL-terminated for C
    byte[] buf = new byte[256];
    long len;
    while ((len = libc.lgetxattr(path, cname, buf, buf.length)) < 0) {
      int errno = LastError.getLastError(runtime);
      if (errno == ENODATA) {
        return new byte[0]; // removed between list and get
      }
      if (errno != ERANGE) {
        throw new IOException("lgetxattr " + path + " " + new String(name, StandardCharsets.UTF_8)
            + ": errno " + errno);
      }
      buf = new byte[buf.length * 16];
    }
    return Arrays.copyOf(buf, (int) len);
  }
}
