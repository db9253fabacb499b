package dev.chatbotroi.common;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

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

  /** A replaceWhere predicate on a date column, inclusive. */
  public static String dateCondition(String column, LocalDate from, LocalDate to) {
    return column + " >= '" + from + "' AND " + column + " <= '" + to + "'";
  }
}
