package io.tierdex.gufi;

import static java.nio.charset.StandardCharsets.US_ASCII;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code modetotxt(mode)}: the permission string of an {@code st_mode}, as GUFI's
 * {@code modetostr} (src/utils.c) writes it: {@code 33188} is {@code -rw-r--r--}, {@code
 * 16877} is {@code drwxr-xr-x}.
 *
 * <p>Like GUFI, only directories ({@code d}) and symlinks ({@code l}) get a type letter,
 * everything else shows {@code -}, and setuid, setgid and sticky bits are not shown
 * ({@code 04755} is {@code -rwxr-xr-x}, not {@code ls}'s {@code -rwsr-xr-x}).
 */
public final class ModeToText extends GufiScalar<UTF8String> {
  static final ModeToText INSTANCE = new ModeToText();

  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;
  private static final byte[] RWX = "rwxrwxrwx".getBytes(US_ASCII);

  private ModeToText() {
    super("modetotxt", DataTypes.StringType, DataTypes.LongType);
  }

  public static UTF8String invoke(long mode) {
    byte[] text = new byte[10];
    long type = mode & S_IFMT;
    text[0] = (byte) (type == S_IFDIR ? 'd' : type == S_IFLNK ? 'l' : '-');
    for (int bit = 0; bit < 9; bit++) {
      text[1 + bit] = (mode & (0400 >> bit)) != 0 ? RWX[bit] : (byte) '-';
    }
    return UTF8String.fromBytes(text);
  }
}
