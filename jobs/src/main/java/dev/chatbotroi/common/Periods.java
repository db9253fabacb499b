package dev.chatbotroi.common;

import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import org.apache.spark.sql.Column;

/** Calendar helpers for ranged runs: the day, ISO week and month periods a date range touches. */
public final class Periods {
  private Periods() {}

  /** An inclusive date range in the reporting time zone. */
  public record Range(LocalDate from, LocalDate to) {
    public Range {
      if (from.isAfter(to)) {
        throw new IllegalArgumentException(from + " is after " + to);
      }
    }

    /** Consecutive ranges of at most {@code days} days covering this one, in order. */
    public java.util.List<Range> chunks(int days) {
      java.util.List<Range> out = new java.util.ArrayList<>();
      for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(days)) {
        LocalDate end = d.plusDays(days - 1L);
        out.add(new Range(d, end.isAfter(to) ? to : end));
      }
      return out;
    }

    /** Widened to whole ISO weeks and whole months: every period the range touches, complete. */
    public Range widened() {
      LocalDate weekStart = from.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      LocalDate monthStart = from.withDayOfMonth(1);
      LocalDate weekEnd = to.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
      LocalDate monthEnd = to.with(TemporalAdjusters.lastDayOfMonth());
      return new Range(weekStart.isBefore(monthStart) ? weekStart : monthStart,
          weekEnd.isAfter(monthEnd) ? weekEnd : monthEnd);
    }
  }

  /** Reporting-zone calendar date of a UTC timestamp: the day a row belongs to. */
  public static Column localDate(Column ts, Settings settings) {
    return to_date(from_utc_timestamp(ts, settings.timezone().getId()));
  }

  public static LocalDate weekStart(LocalDate d) {
    return d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }

  /**
   * The replaceWhere predicate for a periodic table and a range: days in the range, and the
   * weeks and months it touches (the caller computes those from data of the widened range).
   */
  public static String periodCondition(String grainColumn, String startColumn, Range range) {
    String day = grainColumn + " = 'day' AND " + dateCondition(startColumn, range.from(), range.to());
    String week = grainColumn + " = 'week' AND "
        + dateCondition(startColumn, weekStart(range.from()), weekStart(range.to()));
    String month = grainColumn + " = 'month' AND "
        + dateCondition(startColumn, range.from().withDayOfMonth(1), range.to().withDayOfMonth(1));
    return "(" + day + ") OR (" + week + ") OR (" + month + ")";
  }

  /** The same periods as {@link #periodCondition}, as a Column filter. */
  public static Column touched(Column grain, Column start, Range range) {
    Column day = grain.equalTo("day").and(start.between(lit(java.sql.Date.valueOf(range.from())),
        lit(java.sql.Date.valueOf(range.to()))));
    Column week = grain.equalTo("week").and(start.between(lit(java.sql.Date.valueOf(weekStart(range.from()))),
        lit(java.sql.Date.valueOf(weekStart(range.to())))));
    Column month = grain.equalTo("month").and(start.between(lit(java.sql.Date.valueOf(range.from().withDayOfMonth(1))),
        lit(java.sql.Date.valueOf(range.to().withDayOfMonth(1)))));
    return day.or(week).or(month);
  }

  /** A replaceWhere predicate on a date column, inclusive. */
  public static String dateCondition(String column, LocalDate from, LocalDate to) {
    return column + " >= '" + from + "' AND " + column + " <= '" + to + "'";
  }
}
