package io.tierdex.gufi;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * C's {@code strftime(3)} as glibc formats in the POSIX locale, which is what GUFI's
 * {@code strftime} prints: {@code gufi_query} never calls {@code setlocale}, so names are
 * English and {@code %c} is {@code %a %b %e %H:%M:%S %Y} whatever the user's locale.
 *
 * <p>Supported: every POSIX conversion ({@code %a %A %b %B %c %C %d %D %e %F %g %G %h %H
 * %I %j %m %M %n %p %r %R %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %%}), glibc's {@code
 * %k %l %P %s}, the {@code E} and {@code O} modifiers (no-ops in this locale), and GNU
 * flags {@code _ - 0 ^ #} with a field width. As in glibc, an unknown conversion is
 * copied to the output as written. Years before 1000 or after 9999 may be padded
 * differently from glibc.
 */
final class CTimeFormat {
  private CTimeFormat() {}

  private static final DateTimeFormatter ZONE_ABBREVIATION = DateTimeFormatter.ofPattern("zzz", Locale.ROOT);
  private static final String[] DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
  private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"};
  private static final String E_CONVERSIONS = "cCxXyY";
  private static final String O_CONVERSIONS = "bBdehHImMSuUVwWy";

  /** One conversion's options: the GNU flags and width between {@code %} and the letter. */
  private record Spec(char pad, boolean upper, boolean swapCase, int width) {}

  /** What the {@code #} flag does to a text conversion: glibc upper-cases names, lower-cases AM/PM and zones. */
  private enum Swap { UPPER, LOWER, NONE }

  static String format(String format, ZonedDateTime time) {
    StringBuilder out = new StringBuilder(format.length() + 16);
    int n = format.length();
    int i = 0;
    while (i < n) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      int start = i++;
      char pad = '\0';
      boolean upper = false;
      boolean swapCase = false;
      for (; i < n && "_-0^#".indexOf(format.charAt(i)) >= 0; i++) {
        switch (format.charAt(i)) {
          case '^' -> upper = true;
          case '#' -> swapCase = true;
          default -> pad = format.charAt(i);
        }
      }
      int width = -1;
      for (; i < n && format.charAt(i) >= '0' && format.charAt(i) <= '9'; i++) {
        width = Math.max(width, 0) * 10 + (format.charAt(i) - '0');
      }
      char modifier = i < n && (format.charAt(i) == 'E' || format.charAt(i) == 'O') ? format.charAt(i++) : '\0';
      if (i == n) {
        out.append(format, start, n); // a lone '%' at the end is kept, as glibc does
        break;
      }
      char conversion = format.charAt(i++);
      boolean modifierOk = modifier == '\0'
          || (modifier == 'E' ? E_CONVERSIONS : O_CONVERSIONS).indexOf(conversion) >= 0;
      String field = modifierOk ? convert(conversion, time, new Spec(pad, upper, swapCase, width)) : null;
      out.append(field != null ? field : format.substring(start, i));
    }
    return out.toString();
  }

  /** One conversion, or {@code null} if glibc does not know it. */
  private static String convert(char conversion, ZonedDateTime t, Spec spec) {
    int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
    int yday = t.getDayOfYear() - 1;
    int wday = t.getDayOfWeek().getValue() % 7; // Sunday = 0, as in struct tm
    return switch (conversion) {
      case 'a' -> text(DAYS[wday].substring(0, 3), spec, Swap.UPPER);
      case 'A' -> text(DAYS[wday], spec, Swap.UPPER);
      case 'b', 'h' -> text(MONTHS[t.getMonthValue() - 1].substring(0, 3), spec, Swap.UPPER);
      case 'B' -> text(MONTHS[t.getMonthValue() - 1], spec, Swap.UPPER);
      case 'c' -> text(format("%a %b %e %H:%M:%S ", t) + t.getYear(), spec, Swap.NONE);
      case 'C' -> number(Math.floorDiv(t.getYear(), 100), 2, '0', spec);
      case 'd' -> number(t.getDayOfMonth(), 2, '0', spec);
      case 'D', 'x' -> text(format("%m/%d/%y", t), spec, Swap.NONE);
      case 'e' -> number(t.getDayOfMonth(), 2, ' ', spec);
      case 'F' -> text(format("%Y-%m-%d", t), spec, Swap.NONE);
      case 'g' -> number(Math.floorMod(t.get(IsoFields.WEEK_BASED_YEAR), 100), 2, '0', spec);
      case 'G' -> number(t.get(IsoFields.WEEK_BASED_YEAR), 4, '0', spec);
      case 'H' -> number(t.getHour(), 2, '0', spec);
      case 'I' -> number(hour12, 2, '0', spec);
      case 'j' -> number(yday + 1, 3, '0', spec);
      case 'k' -> number(t.getHour(), 2, ' ', spec);
      case 'l' -> number(hour12, 2, ' ', spec);
      case 'm' -> number(t.getMonthValue(), 2, '0', spec);
      case 'M' -> number(t.getMinute(), 2, '0', spec);
      case 'n' -> "\n";
      case 'p' -> text(t.getHour() < 12 ? "AM" : "PM", spec, Swap.LOWER);
      case 'P' -> text(t.getHour() < 12 ? "am" : "pm", new Spec(spec.pad(), false, false, spec.width()), Swap.NONE);
      case 'r' -> text(format("%I:%M:%S %p", t), spec, Swap.NONE);
      case 'R' -> text(format("%H:%M", t), spec, Swap.NONE);
      case 's' -> number(t.toEpochSecond(), 1, '0', spec);
      case 'S' -> number(t.getSecond(), 2, '0', spec);
      case 't' -> "\t";
      case 'T', 'X' -> text(format("%H:%M:%S", t), spec, Swap.NONE);
      case 'u' -> number(t.getDayOfWeek().getValue(), 1, '0', spec);
      case 'U' -> number((yday + 7 - wday) / 7, 2, '0', spec);
      case 'V' -> number(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, '0', spec);
      case 'w' -> number(wday, 1, '0', spec);
      case 'W' -> number((yday + 7 - (wday + 6) % 7) / 7, 2, '0', spec);
      case 'y' -> number(Math.floorMod(t.getYear(), 100), 2, '0', spec);
      case 'Y' -> number(t.getYear(), 4, '0', spec);
      case 'z' -> offset(t.getOffset().getTotalSeconds());
      case 'Z' -> text(ZONE_ABBREVIATION.format(t), spec, Swap.LOWER);
      case '%' -> "%";
      default -> null;
    };
  }

  /** A number at least {@code digits} wide, padded with the flag's or the default pad. */
  private static String number(long value, int digits, char defaultPad, Spec spec) {
    String s = Long.toString(Math.abs(value));
    String sign = value < 0 ? "-" : "";
    char pad = switch (spec.pad()) {
      case '_' -> ' ';
      case '0' -> '0';
      case '-' -> '\0';
      default -> defaultPad;
    };
    int width = spec.width() >= 0 ? spec.width() : digits;
    if (pad == '\0' || s.length() + sign.length() >= width) {
      return sign + s;
    }
    String padding = String.valueOf(pad).repeat(width - s.length() - sign.length());
    return pad == '0' ? sign + padding + s : padding + sign + s;
  }

  /** A name or a composite conversion, with the case and width flags applied. */
  private static String text(String s, Spec spec, Swap swap) {
    if (spec.upper() || (spec.swapCase() && swap == Swap.UPPER)) {
      s = s.toUpperCase(Locale.ROOT);
    } else if (spec.swapCase() && swap == Swap.LOWER) {
      s = s.toLowerCase(Locale.ROOT);
    }
    if (spec.pad() == '-' || spec.width() <= s.length()) {
      return s;
    }
    return String.valueOf(spec.pad() == '0' ? '0' : ' ').repeat(spec.width() - s.length()) + s;
  }

  private static String offset(int seconds) {
    int minutes = Math.abs(seconds) / 60;
    return String.format(Locale.ROOT, "%c%02d%02d", seconds < 0 ? '-' : '+', minutes / 60, minutes % 60);
  }
}
