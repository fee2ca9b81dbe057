package io.tierdex.index;

import java.io.ByteArrayOutputStream;
import java.util.List;

/** The {@code user.*} extended attributes of one entry that have a non-empty value. */
record XattrList(List<Xattr> attributes) {
  static final XattrList NONE = new XattrList(List.of());
  /** GUFI ends every name in {@code xattr_names} with this byte. */
  static final int NAME_TERMINATOR = 0x1F;

  record Xattr(byte[] name, byte[] value) {}

  int count() {
    return attributes.size();
  }

  /** The {@code xattr_names} blob: each name followed by 0x1F; empty when there are none. */
  byte[] names() {
    if (attributes.isEmpty()) {
      return new byte[0];
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Xattr x : attributes) {
      out.writeBytes(x.name());
      out.write(NAME_TERMINATOR);
    }
    return out.toByteArray();
  }
}
