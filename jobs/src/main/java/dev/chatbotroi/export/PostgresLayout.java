package dev.chatbotroi.export;

import dev.chatbotroi.common.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

/**
 * How the exported tables look in PostgreSQL: column types from the Spark types, the primary key
 * and indexes each table declares ({@link TableSchema.Export}), and the Looker Studio views; grain:
 * one table or view.
 */
public final class PostgresLayout {
  private PostgresLayout() {}

  /** A view a BI tool reads, with a one-line purpose for the docs. */
  public record View(String name, String purpose, String select) {}

  /** Views for Looker Studio; {@code %s} is the schema. */
  public static List<View> views(String schema) {
    return List.of(
        new View("v_metrics_weekly",
            "weekly metric rows with numerator and denominator, for re-aggregation as SUM(numerator) / SUM(denominator)",
            "SELECT period_start AS week_start, channel, flow, intent, metric, numerator, denominator, value,"
                + " ci_low, ci_high FROM " + schema + ".metrics WHERE period_grain = 'week'"),
        new View("v_metrics_daily",
            "daily metric rows, for date-range controls in a report",
            "SELECT period_start AS day, channel, flow, intent, metric, numerator, denominator, value,"
                + " ci_low, ci_high FROM " + schema + ".metrics WHERE period_grain = 'day'"),
        new View("v_scoreboard_latest",
            "the scoreboard rows of the latest week",
            "SELECT * FROM " + schema + ".scoreboard_weekly WHERE period_start = (SELECT max(period_start) FROM "
                + schema + ".scoreboard_weekly)"),
        new View("v_revenue_by_model_monthly",
            "revenue attributed to the bot per model and window, by month, all segments",
            "SELECT period_start AS month_start, model, window_days, deals, attributed_revenue,"
                + " attributed_gross_profit, won_revenue, unattributed_revenue FROM " + schema
                + ".revenue_attribution WHERE period_grain = 'month' AND touch_type = '(all)'"
                + " AND channel = '(all)' AND flow = '(all)' AND intent = '(all)'"),
        new View("v_experiments",
            "each holdout variant's lift per metric over the pooled control, with its 95 % interval",
            "SELECT experiment, variant, is_control, units, metric, value, control_value, lift, lift_ci_low,"
                + " lift_ci_high, relative_lift, incremental FROM " + schema + ".experiments"),
        new View("v_channel_roi_monthly",
            "spend, credited deals, attributed revenue, ROAS, cost per won deal and ROI per marketing channel and"
                + " for the bot, per model and window, by month",
            "SELECT period_start AS month_start, model, window_days, touch_type, channel, spend, credited_deals,"
                + " attributed_revenue, attributed_gross_profit, roas, cost_per_won_deal, roi_pct FROM " + schema
                + ".channel_roi WHERE period_grain = 'month'"),
        new View("v_attribution_states",
            "each touch state's removal effect and Markov and Shapley shares per attribution window",
            "SELECT window_days, state, touch_type, channel, journeys, converting_journeys, removal_effect,"
                + " markov_share, shapley_share FROM " + schema + ".attribution_states"));
  }

  /** The PostgreSQL type of a Spark column type, as the table is created. */
  public static String pgType(DataType t) {
    if (t.equals(DataTypes.StringType)) {
      return "text";
    } else if (t.equals(DataTypes.LongType)) {
      return "bigint";
    } else if (t.equals(DataTypes.IntegerType)) {
      return "integer";
    } else if (t.equals(DataTypes.DoubleType)) {
      return "double precision";
    } else if (t.equals(DataTypes.BooleanType)) {
      return "boolean";
    } else if (t.equals(DataTypes.DateType)) {
      return "date";
    } else if (t.equals(DataTypes.TimestampType)) {
      return "timestamptz"; // an instant; Looker Studio shows it in the report's time zone
    } else if (t instanceof DecimalType d) {
      return "numeric(" + d.precision() + "," + d.scale() + ")";
    } else if (t instanceof ArrayType a) {
      return pgType(a.elementType()) + "[]";
    }
    throw new IllegalArgumentException("no PostgreSQL type for " + t.simpleString());
  }

  /** CREATE TABLE IF NOT EXISTS with the primary key; key columns are NOT NULL as PostgreSQL requires. */
  public static String createTable(String schema, TableSchema t) {
    List<String> cols = new ArrayList<>();
    List<String> key = t.export().key();
    for (StructField f : t.schema().fields()) {
      cols.add(f.name() + " " + pgType(f.dataType()) + (key.contains(f.name()) ? " NOT NULL" : ""));
    }
    if (!key.isEmpty()) {
      cols.add("PRIMARY KEY (" + String.join(", ", key) + ")");
    }
    return "CREATE TABLE IF NOT EXISTS " + schema + "." + t.name() + " (" + String.join(", ", cols) + ")";
  }

  /** Index names are {@code <table>_by_<first column>}: short of PostgreSQL's 63-character limit, unique per table. */
  public static List<String> createIndexes(String schema, TableSchema t) {
    return t.export().indexes().stream()
        .map(cols -> "CREATE INDEX IF NOT EXISTS " + t.name() + "_by_" + cols.get(0) + " ON "
            + schema + "." + t.name() + " (" + String.join(", ", cols) + ")")
        .collect(Collectors.toList());
  }
}
