package dev.chatbotroi.metrics;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.Segments;
import dev.chatbotroi.common.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Computes `scoreboard_weekly` from the weekly `metrics` rows: one row per week and flow (plus
 * (all)), each headline metric with its band (benchmarks, docs/settings.md) and last week's value.
 */
public final class Scoreboard {
  private Scoreboard() {}

  public static final List<String> HEADLINE = MetricCatalog.headlineNames();

  /** Metrics graded against a baseline metric (the form leads' rate) instead of a band (docs/settings.md). */
  static final Map<String, String> BASELINED = baselined();

  private static Map<String, String> baselined() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (MetricCatalog.Metric m : MetricCatalog.headline()) {
      if (m.baseline() != null) {
        out.put(m.name(), m.baseline());
      }
    }
    return java.util.Collections.unmodifiableMap(out); // in scoreboard order
  }

  /**
   * Weekly metric values per (period_start, flow) with one `v_<metric>` and `n_<metric>`
   * (denominator, or n for medians) column per metric; flows of the (flow) grouping set plus (all).
   */
  public static Dataset<Row> weekly(Dataset<Row> metrics, List<String> names) {
    Dataset<Row> week = metrics.where(col("period_grain").equalTo("week")
        .and(col("channel").equalTo(Segments.ALL)).and(col("intent").equalTo(Segments.ALL)));
    List<Column> aggs = new ArrayList<>();
    for (String m : names) {
      aggs.add(max(when(col("metric").equalTo(m), col("value"))).as("v_" + m));
      aggs.add(max(when(col("metric").equalTo(m), col("denominator"))).as("n_" + m));
    }
    return week.groupBy("period_start", "flow")
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]));
  }

  /** The metrics a scoreboard (and the diagnostics) read. */
  public static List<String> inputs() {
    List<String> names = new ArrayList<>(HEADLINE);
    names.addAll(BASELINED.values());
    names.add("csat_human");
    return names;
  }

  /** Adds `p_<metric>` (last week's value) columns: the same flow seven days earlier. */
  public static Dataset<Row> withLastWeek(Dataset<Row> weekly, List<String> names) {
    List<Column> prev = new ArrayList<>(List.of(date_add(col("period_start"), 7).as("_next"), col("flow").as("_flow")));
    for (String m : names) {
      prev.add(col("v_" + m).as("p_" + m));
    }
    Dataset<Row> last = weekly.select(prev.toArray(new Column[0]));
    return weekly.join(last, weekly.col("period_start").equalTo(last.col("_next"))
            .and(weekly.col("flow").equalTo(last.col("_flow"))), "left")
        .drop("_next", "_flow");
  }

  /**
   * The weekly rows the scoreboard and the diagnostics both read: per week and flow, each input
   * metric's value and denominator and last week's value (computed once, read twice).
   */
  public static Dataset<Row> weeks(Dataset<Row> metrics) {
    List<String> names = inputs();
    return withLastWeek(weekly(metrics, names), names);
  }

  /** The scoreboard rows from {@link #weeks}. */
  public static Dataset<Row> compute(Dataset<Row> w, Settings settings) {
    // form baselines exist on the (all) rows only; every flow of the week is compared with them
    Dataset<Row> baselines = w.where(col("flow").equalTo(Segments.ALL)).select(col("period_start").as("_b_week"),
        col("v_lead_quality_rate_form").as("b_lead_quality_rate"),
        col("v_qualified_booking_rate_form").as("b_qualified_booking_rate"));
    Dataset<Row> joined = w.join(baselines, w.col("period_start").equalTo(baselines.col("_b_week")), "left");
    List<Column> out = new ArrayList<>(List.of(col("period_start"), col("flow")));
    for (String m : HEADLINE) {
      out.add(col("v_" + m).as(m));
      out.add(band(m, settings).as(m + "_band"));
      out.add(col("p_" + m).as(m + "_last_week"));
    }
    return joined.select(out.toArray(new Column[0]));
  }

  /** good / ok / poor / n/a for metric {@code m} on a weekly row (docs/settings.md; n/a under benchmarks.min-sample). */
  static Column band(String m, Settings settings) {
    Column v = col("v_" + m);
    Column n = col("n_" + m);
    Column graded;
    if (BASELINED.containsKey(m)) {
      Column base = col("b_" + m);
      graded = when(base.isNull(), lit("n/a"))
          .when(v.geq(base), lit("good"))
          .when(v.geq(base.minus(settings.benchmarks().baselineOkMargin())), lit("ok"))
          .otherwise(lit("poor"));
    } else {
      Settings.Band b = settings.benchmarks().bands().get(MetricCatalog.named(m).band());
      if (b == null) {
        return lit("n/a");
      }
      graded = grade(v, b, settings);
      for (Map.Entry<String, Settings.Band> flow : b.flows().entrySet()) {
        graded = when(col("flow").equalTo(flow.getKey()), grade(v, flow.getValue(), settings)).otherwise(graded);
      }
    }
    return when(v.isNull().or(coalesce(n, lit(0d)).lt(settings.benchmarks().minSample())), lit("n/a"))
        .otherwise(graded);
  }

  static Column grade(Column v, Settings.Band b, Settings settings) {
    if (b.goodRange() != null) {
      return when(v.between(b.goodRange().get(0), b.goodRange().get(1)), lit("good"))
          .when(v.between(b.okRange().get(0), b.okRange().get(1)), lit("ok"))
          .otherwise(lit("poor"));
    }
    double scale = b.relativeTo() == null ? 1.0 : relative(b.relativeTo(), settings);
    double good = b.good() * scale;
    double ok = b.ok() * scale;
    return b.lowerIsBetter()
        ? when(v.leq(good), lit("good")).when(v.leq(ok), lit("ok")).otherwise(lit("poor"))
        : when(v.geq(good), lit("good")).when(v.geq(ok), lit("ok")).otherwise(lit("poor"));
  }

  /** The setting a band's thresholds are relative to (only costs.* are meaningful). */
  static double relative(String key, Settings s) {
    return switch (key) {
      case "costs.manual-cost-per-conversation" -> s.costs().manualCostPerConversation();
      case "costs.per-conversation" -> s.costs().perConversation();
      case "costs.platform-monthly" -> s.costs().platformMonthly();
      case "costs.maintenance-monthly" -> s.costs().maintenanceMonthly();
      default -> throw new dev.chatbotroi.common.SettingsException("benchmarks.*.relative-to",
          "unknown setting '" + key + "'");
    };
  }
}
