package dev.chatbotroi.cli.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import dev.chatbotroi.common.AttributionStatesTable;
import dev.chatbotroi.common.RevenueAttributionTable;
import dev.chatbotroi.common.Tables;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * Prints the latest month's bot-attributed revenue per model and window as a terminal table, then the
 * Markov and Shapley shares per touch state of the widest window.
 */
public final class AttributionReport {
  private AttributionReport() {}

  public static void print(Tables tables, PrintStream out) {
    if (!tables.exists(RevenueAttributionTable.TABLE)) {
      return;
    }
    var months = tables.read(RevenueAttributionTable.TABLE).where(col("period_grain").equalTo("month"));
    Row latest = months.agg(max(col("period_start"))).first();
    if (latest.isNullAt(0)) {
      out.println("Attribution: no won deals yet.");
      return;
    }
    Date month = latest.getDate(0);
    List<Row> rows = months.where(col("period_start").equalTo(month).and(col("touch_type").equalTo("bot"))
            .and(col("channel").equalTo("(all)")).and(col("flow").equalTo("(all)")).and(col("intent").equalTo("(all)")))
        .select("model", "window_days", "attributed_revenue", "deals").collectAsList();
    Map<String, Map<Integer, BigDecimal>> table = new TreeMap<>();
    java.util.TreeSet<Integer> windows = new java.util.TreeSet<>();
    for (Row r : rows) {
      table.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getInt(1), r.getDecimal(2));
      windows.add(r.getInt(1));
    }
    out.println();
    out.println("Bot-attributed revenue, " + month.toLocalDate().getMonth()
        .getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH) + " " + month.toLocalDate().getYear()
        + " (won deals by close date, bot touches)");
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-16s", "model"));
    for (int w : windows) {
      head.append(String.format(Locale.ROOT, " %14s", w + "-day window"));
    }
    out.println(head);
    for (var e : table.entrySet()) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-16s", e.getKey()));
      for (int w : windows) {
        BigDecimal v = e.getValue().get(w);
        line.append(String.format(Locale.ROOT, " %14s", v == null ? "-" : String.format(Locale.ROOT, "%,.2f", v)));
      }
      out.println(line);
    }
    if (table.isEmpty()) {
      out.println("(no won deal of that month had a bot touch in any window)");
    }
    printStates(tables, windows.isEmpty() ? null : windows.last(), out);
  }

  /** The learned models' view of the same window: each state's Markov and Shapley share, largest first. */
  static void printStates(Tables tables, Integer window, PrintStream out) {
    if (window == null || !tables.exists(AttributionStatesTable.TABLE)) {
      return;
    }
    List<Row> states = tables.read(AttributionStatesTable.TABLE)
        .where(col("window_days").equalTo(window).and(col(AttributionStatesTable.MARKOV_SHARE).isNotNull()))
        .orderBy(col(AttributionStatesTable.MARKOV_SHARE).desc(), col(AttributionStatesTable.STATE))
        .select(AttributionStatesTable.STATE, AttributionStatesTable.REMOVAL_EFFECT, AttributionStatesTable.MARKOV_SHARE,
            AttributionStatesTable.SHAPLEY_SHARE, AttributionStatesTable.JOURNEYS)
        .limit(8).collectAsList();
    if (states.isEmpty()) {
      return;
    }
    out.println();
    out.println("Data-driven shares of each touch state, " + window + "-day window, all journeys");
    out.println(String.format(Locale.ROOT, "%-28s %10s %8s %8s %9s", "state", "removal", "markov", "shapley",
        "journeys"));
    for (Row r : states) {
      out.println(String.format(Locale.ROOT, "%-28s %10.3f %7.1f%% %7.1f%% %9d", r.getString(0), r.getDouble(1),
          100 * r.getDouble(2), r.isNullAt(3) ? 0.0 : 100 * r.getDouble(3), r.getLong(4)));
    }
  }
}
