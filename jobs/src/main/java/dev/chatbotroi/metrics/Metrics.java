package dev.chatbotroi.metrics;

import static dev.chatbotroi.common.Segments.ALL_SETS;
import static dev.chatbotroi.common.Segments.CHANNEL_ONLY;
import static dev.chatbotroi.common.Segments.GRAIN;
import static dev.chatbotroi.common.Segments.GRAINS;
import static dev.chatbotroi.common.Segments.KEY;
import static dev.chatbotroi.common.Segments.SET;
import static dev.chatbotroi.common.Segments.START;
import static dev.chatbotroi.common.Segments.TOTAL_ONLY;
import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.Columns;
import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.common.LeadQuality;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Segments;
import dev.chatbotroi.common.Settings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Computes `metrics` (docs/metrics.md): every metric of the {@link MetricCatalog} × day/week/month ×
 * its grouping sets, in one pass per input; grain: one row per period, segment and metric.
 */
public final class Metrics {
  private Metrics() {}

  static final double Z = 1.96;

  /**
   * @param conversations the `conversations` rows of the periods to compute
   * @param captures      conversations of all time that captured a lead (they segment the lead metrics)
   * @param impressions   `chat_impression` events (event_ts, channel) of those periods
   * @param leads         the `leads` table; @param tickets the `tickets` table
   */
  public static Dataset<Row> compute(Dataset<Row> conversations, Dataset<Row> captures,
      Dataset<Row> impressions, Dataset<Row> leads, Dataset<Row> tickets, Settings settings) {
    return compute(conversations, captures, impressions, leads, tickets, settings, MetricCatalog.ALL);
  }

  /** {@link #compute} for any list of metrics (a test adds one to the catalogue's). */
  public static Dataset<Row> compute(Dataset<Row> conversations, Dataset<Row> captures, Dataset<Row> impressions,
      Dataset<Row> leads, Dataset<Row> tickets, Settings settings, List<MetricCatalog.Metric> metrics) {
    Aggregates aggs = new Aggregates(metrics);
    Dataset<Row> conv = aggs.over(MetricCatalog.Source.CONVERSATIONS,
        Segments.fanOut(conversations, col("period_date"), GRAINS, ALL_SETS));

    Dataset<Row> impr = aggs.over(MetricCatalog.Source.IMPRESSIONS, Segments.fanOut(
        impressions.select(Periods.localDate(col("event_ts"), settings).as("_d"), col("channel"),
            lit("(none)").as("flow"), lit("(none)").as("intent")),
        col("_d"), GRAINS, CHANNEL_ONLY));

    Dataset<Row> leadFacts = leadFacts(captures, leads, settings);
    // chatbot leads with a capturing conversation count in every segment; the rest in () only.
    // One fan-out and a filter, so the leads are read once.
    Dataset<Row> leadAgg = aggs.over(MetricCatalog.Source.LEADS, Segments.fanOut(leadFacts, col("_d"), GRAINS,
        ALL_SETS).where(col(SET).equalTo(0).or(col("_captured").and(col("_bot")))));

    Dataset<Row> ticketAgg = aggs.over(MetricCatalog.Source.TICKETS, Segments.fanOut(
        tickets.where(col("csat_score").isNotNull().and(col("created_at").isNotNull()))
            .select(Periods.localDate(col("created_at"), settings).as("_d"),
                col("csat_score").geq(settings.csatPositiveMin()).as("_positive"),
                lit("(none)").as("channel"), lit("(none)").as("flow"), lit("(none)").as("intent")),
        col("_d"), GRAINS, TOTAL_ONLY));

    Dataset<Row> all = null;
    for (Dataset<Row> source : java.util.Arrays.asList(conv, impr, leadAgg, ticketAgg)) {
      if (source != null) {
        all = all == null ? source : all.join(source, Columns.names(KEY), "full_outer");
      }
    }
    return toMetricRows(all, metrics, aggs, settings);
  }

  /** Every aggregate the metrics need, once each, named, by the source it runs over. */
  static final class Aggregates {
    private final Map<MetricCatalog.Agg, String> names = new LinkedHashMap<>();
    private final Map<String, String> byText = new HashMap<>();

    Aggregates(List<MetricCatalog.Metric> metrics) {
      for (MetricCatalog.Metric m : metrics) {
        for (MetricCatalog.Term t : List.of(m.numerator(), m.denominator(), m.population())) {
          for (MetricCatalog.Agg a : t.aggs()) {
            // one column per distinct aggregate: engaged conversations are counted once, not ten times
            String key = a.source() + "|" + a.zero() + "|" + a.expression();
            names.put(a, byText.computeIfAbsent(key, k -> "_agg" + byText.size()));
          }
        }
      }
    }

    /** The source's aggregates per period and segment, or null when no metric reads that source. */
    Dataset<Row> over(MetricCatalog.Source source, Dataset<Row> fanned) {
      List<Column> cols = new ArrayList<>();
      java.util.Set<String> done = new java.util.HashSet<>();
      names.forEach((a, name) -> {
        if (a.source() == source && done.add(name)) {
          cols.add(a.expression().as(name));
        }
      });
      if (cols.isEmpty()) {
        return null;
      }
      return fanned.groupBy(Columns.of(KEY)).agg(cols.get(0), cols.subList(1, cols.size()).toArray(new Column[0]));
    }

    /** A term's value on a wide row: its aggregates as doubles (an absent count is 0), then its formula. */
    Column value(MetricCatalog.Term t, Settings settings) {
      List<Column> values = new ArrayList<>();
      for (MetricCatalog.Agg a : t.aggs()) {
        Column c = col(names.get(a));
        values.add(a.zero() ? coalesce(c, lit(0L)).cast(DataTypes.DoubleType) : c);
      }
      return t.formula().apply(settings, values);
    }
  }

  /**
   * One row per CRM lead with a reporting date: chatbot / form flags, qualified, booked, and the
   * segment of its capturing conversation (the earliest (start_ts, id) that captured it).
   */
  static Dataset<Row> leadFacts(Dataset<Row> conversations, Dataset<Row> leads, Settings settings) {
    Dataset<Row> captures = conversations
        .select(explode(col("captured_lead_ids")).as("_lead"), col("start_ts"), col("conversation_id"),
            col("channel"), col("flow"), col("intent"), col("page_type"))
        .groupBy("_lead")
        .agg(min(struct(col("start_ts"), col("conversation_id"), col("channel"), col("flow"), col("intent"),
            col("page_type"))).as("_c"))
        .select(col("_lead"), col("_c.channel").as("channel"), col("_c.flow").as("flow"),
            col("_c.intent").as("intent"), col("_c.page_type").as("page_type"));
    Column qualified = LeadQuality.qualified(settings);
    Dataset<Row> l = leads.where(col("created_at").isNotNull())
        .select(col("lead_id"), Periods.localDate(col("created_at"), settings).as("_d"),
            coalesce(col("source").equalTo("chatbot"), lit(false)).as("_bot"),
            coalesce(col("source").equalTo("form"), lit(false)).as("_form"),
            qualified.as("_qualified"),
            col("meeting_booked_at").isNotNull().and(coalesce(col("meeting_qualified"), lit(false))).as("_booked"));
    return l.join(captures, l.col("lead_id").equalTo(captures.col("_lead")), "left")
        .withColumn("_captured", col("_lead").isNotNull())
        .withColumn("channel", coalesce(col("channel"), lit("(none)")))
        .withColumn("flow", coalesce(col("flow"), lit("(none)")))
        .withColumn("intent", coalesce(col("intent"), lit("(none)")))
        .withColumn("page_type", coalesce(col("page_type"), lit("(none)")))
        .drop("_lead");
  }

  /** Last day of the period that starts at {@code start}. */
  static Column periodEnd(Column grain, Column start) {
    return when(grain.equalTo("day"), start)
        .when(grain.equalTo("week"), date_add(start, 6))
        .otherwise(last_day(start));
  }

  /** A monthly amount charged for every day of the period: Σ over its days of amount / days in that month. */
  static Column prorated(double monthly) {
    Column days = sequence(col(START), periodEnd(col(GRAIN), col(START)));
    return aggregate(days, lit(0d), (acc, d) -> acc.plus(lit(monthly).divide(dayofmonth(last_day(d)))));
  }

  /** Unpivots the wide aggregates into metric rows with value and Wilson interval, in one projection. */
  static Dataset<Row> toMetricRows(Dataset<Row> wide, List<MetricCatalog.Metric> metrics, Aggregates aggs,
      Settings settings) {
    List<Column> rows = new ArrayList<>();
    for (MetricCatalog.Metric m : metrics) {
      Column num = aggs.value(m.numerator(), settings).cast(DataTypes.DoubleType);
      Column den = aggs.value(m.denominator(), settings).cast(DataTypes.DoubleType);
      Column value = switch (m.kind()) {
        case COUNT, MEDIAN -> num;
        case PROPORTION, COST -> num.divide(den);
      };
      Column outNum = m.kind() == MetricCatalog.Kind.MEDIAN ? lit(null).cast(DataTypes.DoubleType) : num;
      Column include = col(SET).isin(m.sets().toArray()).and(aggs.value(m.population(), settings).gt(0));
      Column[] ci = m.kind() == MetricCatalog.Kind.PROPORTION ? wilson(num, den)
          : new Column[] {lit(null).cast(DataTypes.DoubleType), lit(null).cast(DataTypes.DoubleType)};
      rows.add(when(include, struct(lit(m.name()).as("metric"), outNum.as("numerator"), den.as("denominator"),
          value.as("value"), ci[0].as("ci_low"), ci[1].as("ci_high"))));
    }
    Dataset<Row> long_ = wide.select(col(GRAIN), col(START), col("channel"), col("flow"), col("intent"),
            explode(array(rows.toArray(new Column[0]))).as("m"))
        .where(col("m").isNotNull());
    return long_.select(col(GRAIN).as(MetricsTable.PERIOD_GRAIN), col(START).as(MetricsTable.PERIOD_START),
        col("channel"), col("flow"), col("intent"), col("m.metric").as("metric"),
        col("m.numerator").as("numerator"), col("m.denominator").as("denominator"), col("m.value").as("value"),
        col("m.ci_low").as("ci_low"), col("m.ci_high").as("ci_high"));
  }

  /** Wilson score interval, z = 1.96, no continuity correction; only when numerator ≤ denominator. */
  static Column[] wilson(Column x, Column n) {
    Column p = x.divide(n);
    double z2 = Z * Z;
    Column denom = lit(1d).plus(lit(z2).divide(n));
    Column center = p.plus(lit(z2).divide(n.multiply(2))).divide(denom);
    Column half = lit(Z).multiply(sqrt(p.multiply(lit(1d).minus(p)).divide(n)
        .plus(lit(z2).divide(n.multiply(n).multiply(4))))).divide(denom);
    Column ok = n.gt(0).and(x.leq(n));
    return new Column[] {when(ok, center.minus(half)), when(ok, center.plus(half))};
  }
}
