package io.tierdex.migrate;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/** The checksum the copy mover computes over every byte it copies; recorded in the ledger. */
public enum Checksum {
  /** CRC-32C: hardware-accelerated, catches any corruption of the copy. The default. */
  CRC32C,
  /** SHA-256: for sites that want a cryptographic digest in the ledger; costs more CPU. */
  SHA256,
  /** No checksum (and no verification possible). */
  NONE;

  /** One running checksum. */
  interface Sum {
    void update(ByteBuffer data);

    /** {@code crc32c:1a2b3c4d}, {@code sha256:...}, or null for NONE. */
    String value();
  }

  Sum start() {
    return switch (this) {
      case CRC32C -> new Sum() {
        private final CRC32C crc = new CRC32C();

        @Override
        public void update(ByteBuffer data) {
          crc.update(data);
        }

        @Override
        public String value() {
          return "crc32c:" + HexFormat.of().toHexDigits((int) crc.getValue()); // 8 digits
        }
      };
      case SHA256 -> new Sum() {
        private final MessageDigest md = sha256();

        @Override
        public void update(ByteBuffer data) {
          md.update(data);
        }

        @Override
        public String value() {
          return "sha256:" + HexFormat.of().formatHex(md.digest());
        }
      };
      case NONE -> new Sum() {
        @Override
        public void update(ByteBuffer data) {
          data.position(data.limit());
        }

        @Override
        public String value() {
          return null;
        }
      };
    };
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
