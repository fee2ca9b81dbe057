package io.tierdex.gufi;

import java.math.BigInteger;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code blocksize(bytes, unit)}: how many blocks of {@code unit} hold {@code bytes}, a
 * partly filled block counting as a whole one, as GUFI's {@code blocksize}
 * (src/addqueryfuncs.c) computes it for {@code gufi_ls}.
 *
 * <p>A unit is an optional block count followed by an optional suffix: {@code K M G T P
 * E} (powers of 1024), the same letter plus {@code B} (powers of 1000) or plus {@code iB}
 * (powers of 1024). Without a count the suffix is printed after the number; with one,
 * only the number is:
 *
 * <pre>
 * blocksize(1024, 'K')   = '1K'     blocksize(1024, '1K')   = '1'
 * blocksize(1024, 'KB')  = '2KB'    blocksize(1024, '1KB')  = '2'
 * blocksize(1024, 'KiB') = '1KiB'   blocksize(1024, '1KiB') = '1'
 * blocksize(1024, '')    = '1024'   blocksize(1024, '512')  = '2'
 * </pre>
 *
 * <p>A unit GUFI rejects ({@code 'k'}, {@code '0K'}, {@code 'KX'}, {@code '1.5K'}) fails
 * the query, as in GUFI, when the query is analysed if the unit is a constant. A negative
 * size (GUFI reads it as a huge unsigned number) gives NULL.
 */
public final class BlockSize extends GufiScalar<UTF8String> {
  static final BlockSize INSTANCE = new BlockSize();

  private static final String LETTERS = "KMGTPE";

  /** The last unit parsed: queries pass one unit for every row. */
  private static volatile ParsedUnit last = new ParsedUnit(UTF8String.EMPTY_UTF8, Unit.parse(""));

  private record ParsedUnit(UTF8String text, Unit unit) {}

  private BlockSize() {
    super("blocksize", DataTypes.StringType, DataTypes.LongType, DataTypes.StringType);
  }

  public static UTF8String invoke(long bytes, UTF8String unit) {
    if (unit == null || bytes < 0) {
      return null;
    }
    Unit u = unit(unit);
    long blocks = bytes / u.bytes() + (bytes % u.bytes() == 0 ? 0 : 1);
    return UTF8String.fromString(u.printedSuffix() == null ? Long.toString(blocks) : blocks + u.printedSuffix());
  }

  /** Fails now, at analysis, if a constant unit is one GUFI rejects. */
  static void checkUnit(Expression unit) {
    if (unit.foldable() && unit.eval(null) instanceof UTF8String text) {
      Unit.parse(text.toString());
    }
  }

  private static Unit unit(UTF8String text) {
    ParsedUnit parsed = last;
    if (!parsed.text().equals(text)) {
      parsed = new ParsedUnit(text.clone(), Unit.parse(text.toString()));
      last = parsed;
    }
    return parsed.unit();
  }

  /** A parsed unit: its size in bytes, and the suffix to print, or null when a count was given. */
  record Unit(long bytes, String printedSuffix) {

    static Unit parse(String unit) {
      int digits = 0;
      while (digits < unit.length() && unit.charAt(digits) >= '0' && unit.charAt(digits) <= '9') {
        digits++;
      }
      BigInteger size = digits == 0 ? BigInteger.ONE : new BigInteger(unit.substring(0, digits));
      String suffix = unit.substring(digits);
      if (size.signum() == 0 || suffix.length() > 3
          || (suffix.length() > 1 && suffix.charAt(suffix.length() - 1) != 'B')
          || (suffix.length() == 3 && suffix.charAt(1) != 'i')) {
        throw bad(unit);
      }
      if (!suffix.isEmpty()) {
        int power = LETTERS.indexOf(suffix.charAt(0)) + 1;
        if (power == 0) {
          throw bad(unit);
        }
        size = size.multiply(BigInteger.valueOf(suffix.length() == 2 ? 1000 : 1024).pow(power));
      }
      // A unit bigger than any long size holds every size in one block, as a long does.
      long bytes = size.bitLength() < 63 ? size.longValue() : Long.MAX_VALUE;
      return new Unit(bytes, digits == 0 ? suffix : null);
    }

    private static IllegalArgumentException bad(String unit) {
      return new IllegalArgumentException("blocksize: bad unit '" + unit + "': expected an optional block"
          + " count and one of K M G T P E, optionally followed by B or iB (e.g. 'K', '4KiB', 'MB', '512')");
    }
  }
}
