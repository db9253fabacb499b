package dev.chatbotroi.cli.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

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

/** Prints the latest month's bot-attributed revenue per model and window as a terminal table. */
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
  }
}
