package dev.chatbotroi.cli.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import dev.chatbotroi.common.Segments;
import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.DiagnosticsTable;
import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.metrics.ScoreboardWeeklyTable;
import dev.chatbotroi.common.Tables;
import java.io.PrintStream;
import java.sql.Date;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;

/** Prints the latest full week's (all)-flow scoreboard and its diagnostics as a terminal table. */
public final class ScoreboardReport {
  private ScoreboardReport() {}

  /** The Monday of the latest ISO week whose seven days all lie on or before the last conversation day. */
  static LocalDate latestFullWeek(LocalDate lastDay) {
    LocalDate sunday = lastDay.getDayOfWeek() == DayOfWeek.SUNDAY ? lastDay
        : lastDay.minusDays(lastDay.getDayOfWeek().getValue());
    return sunday.minusDays(6);
  }

  public static void print(Tables tables, PrintStream out) {
    if (!tables.exists(ScoreboardWeeklyTable.TABLE)) {
      out.println("scoreboard: no scoreboard yet");
      return;
    }
    Row last = tables.read(ConversationsTable.TABLE).agg(max(col("period_date"))).first();
    if (last.isNullAt(0)) {
      out.println("scoreboard: no conversations");
      return;
    }
    LocalDate week = latestFullWeek(last.getDate(0).toLocalDate());
    Date monday = Date.valueOf(week);
    List<Row> board = tables.read(ScoreboardWeeklyTable.TABLE)
        .where(col("period_start").equalTo(monday).and(col("flow").equalTo(Segments.ALL))).collectAsList();
    if (board.isEmpty()) {
      out.println("scoreboard: no full week of data yet");
      return;
    }
    Row row = board.get(0);
    Map<String, double[]> intervals = new HashMap<>();
    for (Row m : tables.read(MetricsTable.TABLE)
        .where(col("period_grain").equalTo("week").and(col("period_start").equalTo(monday))
            .and(col("channel").equalTo(Segments.ALL)).and(col("flow").equalTo(Segments.ALL))
            .and(col("intent").equalTo(Segments.ALL)).and(col("ci_low").isNotNull()))
        .select("metric", "ci_low", "ci_high").collectAsList()) {
      intervals.put(m.getString(0), new double[] {m.getDouble(1), m.getDouble(2)});
    }
    out.println();
    out.println("Weekly scoreboard, week of " + week + " (Mon) to " + week.plusDays(6) + ", all flows");
    String fmt = "%-36s %10s  %-5s %10s  %s%n";
    out.printf(Locale.ROOT, fmt, "metric", "value", "band", "last week", "95% interval");
    out.println("-".repeat(36) + " " + "-".repeat(10) + "  " + "-".repeat(5) + " " + "-".repeat(10) + "  " + "-".repeat(16));
    for (String m : ScoreboardWeeklyTable.HEADLINE) {
      double[] ci = intervals.get(m);
      out.printf(Locale.ROOT, fmt, m, number(row, m), row.getAs(m + "_band"), number(row, m + "_last_week"),
          ci == null ? "" : String.format(Locale.ROOT, "[%.3f, %.3f]", ci[0], ci[1]));
    }
    List<Row> fired = tables.exists(DiagnosticsTable.TABLE)
        ? tables.read(DiagnosticsTable.TABLE).where(col("period_start").equalTo(monday))
            .orderBy("severity", "flow", "rule").collectAsList()
        : List.of();
    out.println();
    if (fired.isEmpty()) {
      out.println("Diagnostics: no playbook rule fired this week.");
    } else {
      out.println("Diagnostics that fired this week:");
      for (Row d : fired) {
        out.printf(Locale.ROOT, "  [%s] %s, flow %s: %s (%s)%n", d.getString(3), d.getString(2), d.getString(1),
            d.getString(4), d.getString(5));
      }
    }
  }

  private static String number(Row r, String field) {
    int i = r.fieldIndex(field);
    return r.isNullAt(i) ? "-" : String.format(Locale.ROOT, "%.3f", r.getDouble(i));
  }
}
