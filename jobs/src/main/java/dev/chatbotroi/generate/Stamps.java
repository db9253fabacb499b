package dev.chatbotroi.generate;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;

/** Prints instants in every timestamp form the contract accepts, picked at random per value. */
final class Stamps {
  /** Offsets in minutes seen from platforms that log local time; 0 prints as "+00:00", not "Z". */
  private static final List<Integer> OFFSETS = List.of(120, 60, -300, -180, 330, 540, 0, -420);
  private static final int ZULU = Integer.MIN_VALUE;

  private final SplittableRandom rnd;

  Stamps(SplittableRandom rnd) {
    this.rnd = rnd;
  }

  /**
   * An event_ts as JSON: mostly "...Z" strings, some with 1–9 fraction digits, some with an offset,
   * some integer epoch milliseconds.
   */
  String event(long ms) {
    double r = rnd.nextDouble();
    if (r < 0.62) {
      return quoted(iso(ms, ZULU, 0));
    }
    if (r < 0.74) {
      return quoted(iso(ms, ZULU, 1 + rnd.nextInt(9)));
    }
    if (r < 0.84) {
      int offset = OFFSETS.get(rnd.nextInt(OFFSETS.size()));
      return quoted(iso(ms, offset, rnd.nextInt(3) == 0 ? 3 : 0));
    }
    return Long.toString(ms);
  }

  /**
   * A CRM / help-desk cell: the event string forms, epoch-free, plus local "YYYY-MM-DD HH:MM:SS",
   * "YYYY-MM-DDTHH:MM:SS" (read in UTC, so the same instant) and, when allowed, a bare date.
   */
  String crm(long ms, boolean dateOnlyAllowed) {
    double r = rnd.nextDouble();
    if (r < 0.30) {
      return iso(ms, ZULU, 0);
    }
    if (r < 0.38) {
      return iso(ms, ZULU, rnd.nextBoolean() ? 3 : 6);
    }
    if (r < 0.48) {
      return iso(ms, OFFSETS.get(rnd.nextInt(OFFSETS.size())), 0);
    }
    if (r < 0.66) {
      return local(ms, 'T');
    }
    if (r < 0.86 || !dateOnlyAllowed) {
      return local(ms, ' ');
    }
    return date(ms);
  }

  /** "YYYY-MM-DDTHH:MM:SSZ", the plain form, used where the form itself is not under test. */
  static String plain(long ms) {
    StringBuilder b = new StringBuilder(20);
    appendDateTime(b, utc(ms), 'T');
    return b.append('Z').toString();
  }

  /** "YYYY-MM-DD HH:MM:SS" in UTC: the form a platform writes that the contract rejects for events. */
  static String spaced(long ms) {
    return local(ms, ' ');
  }

  static String date(long ms) {
    StringBuilder b = new StringBuilder(10);
    appendDate(b, utc(ms));
    return b.toString();
  }

  private static String local(long ms, char sep) {
    StringBuilder b = new StringBuilder(19);
    appendDateTime(b, utc(ms), sep);
    return b.toString();
  }

  private String iso(long ms, int offsetMinutes, int digits) {
    int seconds = offsetMinutes == ZULU ? 0 : offsetMinutes * 60;
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000L), 0, ZoneOffset.ofTotalSeconds(seconds));
    StringBuilder b = new StringBuilder(36);
    appendDateTime(b, t, 'T');
    if (digits > 0) {
      String millis = pad(Math.floorMod(ms, 1000L), 3);
      b.append('.');
      if (digits <= 3) {
        b.append(millis, 0, digits);
      } else {
        // Platforms with micro/nano clocks: the extra digits are sub-millisecond noise.
        b.append(millis);
        for (int i = 3; i < digits; i++) {
          b.append((char) ('0' + rnd.nextInt(10)));
        }
      }
    }
    if (offsetMinutes == ZULU) {
      b.append('Z');
    } else {
      int abs = Math.abs(offsetMinutes);
      b.append(offsetMinutes < 0 ? '-' : '+').append(pad(abs / 60, 2)).append(':').append(pad(abs % 60, 2));
    }
    return b.toString();
  }

  private static LocalDateTime utc(long ms) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000L), 0, ZoneOffset.UTC);
  }

  private static void appendDate(StringBuilder b, LocalDateTime t) {
    b.append(pad(t.getYear(), 4)).append('-').append(pad(t.getMonthValue(), 2)).append('-')
        .append(pad(t.getDayOfMonth(), 2));
  }

  private static void appendDateTime(StringBuilder b, LocalDateTime t, char sep) {
    appendDate(b, t);
    b.append(sep).append(pad(t.getHour(), 2)).append(':').append(pad(t.getMinute(), 2)).append(':')
        .append(pad(t.getSecond(), 2));
  }

  private static String quoted(String s) {
    return "\"" + s + "\"";
  }

  /** Zero-pads a non-negative number to at least {@code width} digits. */
  static String pad(long value, int width) {
    String s = Long.toString(value);
    if (s.length() >= width) {
      return s;
    }
    StringBuilder b = new StringBuilder(width);
    for (int i = s.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(s).toString();
  }
}
