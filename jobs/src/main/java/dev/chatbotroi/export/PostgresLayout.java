package dev.chatbotroi.export;

import dev.chatbotroi.common.AttributionCreditsTable;
import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.DiagnosticsTable;
import dev.chatbotroi.common.FunnelTable;
import dev.chatbotroi.common.JobRunsTable;
import dev.chatbotroi.common.KnowledgeGapsTable;
import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.common.QuarantineTable;
import dev.chatbotroi.common.RevenueAttributionTable;
import dev.chatbotroi.common.RoiTable;
import dev.chatbotroi.common.ScoreboardWeeklyTable;
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
 * How each exported table looks in PostgreSQL: column types, primary key on its natural key, the
 * column that says which period a row belongs to, the indexes for the usual BI filters, and the
 * Looker Studio views. One entry per table of {@code OutputTables.EXPORTED}.
 */
public final class PostgresLayout {
  private PostgresLayout() {}

  /** What a row's period is: a date column, a timestamp column read as a UTC date, or none (replaced whole). */
  public enum PeriodKind { DATE, TIMESTAMP, NONE }

  /** One table's PostgreSQL shape. */
  public record Table(TableSchema schema, List<String> key, String periodColumn, PeriodKind periodKind,
      List<List<String>> indexes) {
    public String name() {
      return schema.name();
    }
  }

  private static final List<String> SEGMENT = List.of("channel", "flow", "intent");

  public static final List<Table> TABLES = List.of(
      new Table(QuarantineTable.TABLE, List.of(), null, PeriodKind.NONE,
          List.of(List.of("ingested_at"), List.of("reason"))),
      new Table(ConversationsTable.TABLE, List.of("conversation_id"), "period_date", PeriodKind.DATE,
          List.of(List.of("period_date"), SEGMENT)),
      new Table(MetricsTable.TABLE, List.of("period_grain", "period_start", "channel", "flow", "intent", "metric"),
          "period_start", PeriodKind.DATE,
          List.of(List.of("metric", "period_grain", "period_start"), List.of("period_start"))),
      new Table(AttributionCreditsTable.TABLE, List.of("deal_id", "model", "window_days", "touch_id"),
          "closed_at", PeriodKind.TIMESTAMP,
          List.of(List.of("model", "window_days", "closed_at"), List.of("closed_at"))),
      new Table(RevenueAttributionTable.TABLE,
          List.of("period_grain", "period_start", "model", "window_days", "touch_type", "channel", "flow", "intent"),
          "period_start", PeriodKind.DATE,
          List.of(List.of("model", "window_days", "period_grain", "period_start"), List.of("period_start"))),
      new Table(KnowledgeGapsTable.TABLE, List.of("period_grain", "period_start", "intent", "question"),
          "period_start", PeriodKind.DATE, List.of(List.of("period_grain", "period_start", "rank"))),
      new Table(FunnelTable.TABLE, List.of("period_grain", "period_start", "channel", "page_type"),
          "period_start", PeriodKind.DATE, List.of(List.of("period_grain", "period_start"))),
      new Table(RoiTable.TABLE, List.of("period_grain", "period_start", "model", "window_days"),
          "period_start", PeriodKind.DATE, List.of(List.of("period_start"))),
      new Table(ScoreboardWeeklyTable.TABLE, List.of("period_start", "flow"), "period_start", PeriodKind.DATE,
          List.of()),
      new Table(DiagnosticsTable.TABLE, List.of("period_start", "flow", "rule"), "period_start", PeriodKind.DATE,
          List.of(List.of("severity", "period_start"))),
      new Table(JobRunsTable.TABLE, List.of("run_id", "command"), null, PeriodKind.NONE,
          List.of(List.of("started_at"))));

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
                + " AND channel = '(all)' AND flow = '(all)' AND intent = '(all)'"));
  }

  public static Table of(TableSchema schema) {
    return TABLES.stream().filter(t -> t.schema().equals(schema)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no PostgreSQL layout for table " + schema.name()));
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
  public static String createTable(String schema, Table t) {
    List<String> cols = new ArrayList<>();
    for (StructField f : t.schema().schema().fields()) {
      cols.add(f.name() + " " + pgType(f.dataType()) + (t.key().contains(f.name()) ? " NOT NULL" : ""));
    }
    if (!t.key().isEmpty()) {
      cols.add("PRIMARY KEY (" + String.join(", ", t.key()) + ")");
    }
    return "CREATE TABLE IF NOT EXISTS " + schema + "." + t.name() + " (" + String.join(", ", cols) + ")";
  }

  /** Index names are {@code <table>_by_<first column>}: short of PostgreSQL's 63-character limit, unique per table. */
  public static List<String> createIndexes(String schema, Table t) {
    return t.indexes().stream()
        .map(cols -> "CREATE INDEX IF NOT EXISTS " + t.name() + "_by_" + cols.get(0) + " ON "
            + schema + "." + t.name() + " (" + String.join(", ", cols) + ")")
        .collect(Collectors.toList());
  }
}
