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
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Segments;
import dev.chatbotroi.common.Columns;
import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.common.Settings;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** Computes `metrics` (docs/metrics.md): every metric × day/week/month × the six grouping sets, in one pass per input. */
public final class Metrics {
  private Metrics() {}

  /** How a metric's numerator, denominator and value relate ("Kinds" in docs/metrics.md). */
  enum Kind { COUNT, PROPORTION, MEDIAN, COST }

  /** One metric: its value's inputs, where it is written, and when its population exists. */
  record Spec(String name, Kind kind, Column numerator, Column denominator, List<Integer> sets, Column exists) {}

  static final double Z = 1.96;

  static Column n(String name) {
    return coalesce(col(name), lit(0L)).cast(DataTypes.DoubleType);
  }

  /**
   * @param conversations the `conversations` rows of the periods to compute
   * @param captures      conversations of all time that captured a lead (they segment the lead metrics)
   * @param impressions   `chat_impression` events (event_ts, channel) of those periods
   * @param leads         the `leads` table; @param tickets the `tickets` table
   */
  public static Dataset<Row> compute(Dataset<Row> conversations, Dataset<Row> captures,
      Dataset<Row> impressions, Dataset<Row> leads, Dataset<Row> tickets, Settings settings) {
    Dataset<Row> conv = Segments.fanOut(conversations, col("period_date"), GRAINS, ALL_SETS)
        .groupBy(Columns.of(KEY)).agg(first(conversationCounts(settings)), rest(conversationCounts(settings)));

    Dataset<Row> impr = Segments.fanOut(
            impressions.select(Periods.localDate(col("event_ts"), settings).as("_d"), col("channel"),
                lit("(none)").as("flow"), lit("(none)").as("intent")),
            col("_d"), GRAINS, CHANNEL_ONLY)
        .groupBy(Columns.of(KEY)).agg(count(lit(1)).as("n_impressions"));

    Dataset<Row> leadFacts = leadFacts(captures, leads, settings);
    // chatbot leads with a capturing conversation count in every segment; the rest in () only.
    // One fan-out and a filter, so the leads are read once.
    Dataset<Row> leadAgg = Segments.fanOut(leadFacts, col("_d"), GRAINS, ALL_SETS)
        .where(col(SET).equalTo(0).or(col("_captured").and(col("_bot"))))
        .groupBy(Columns.of(KEY)).agg(
        count_if(col("_bot")).as("n_bot_leads"),
        count_if(col("_bot").and(col("_qualified"))).as("n_bot_qualified"),
        count_if(col("_bot").and(col("_booked"))).as("n_bot_booked"),
        count_if(col("_form")).as("n_form_leads"),
        count_if(col("_form").and(col("_qualified"))).as("n_form_qualified"),
        count_if(col("_form").and(col("_booked"))).as("n_form_booked"));

    Dataset<Row> ticketAgg = Segments.fanOut(
            tickets.where(col("csat_score").isNotNull().and(col("created_at").isNotNull()))
                .select(Periods.localDate(col("created_at"), settings).as("_d"), col("csat_score"),
                    lit("(none)").as("channel"), lit("(none)").as("flow"), lit("(none)").as("intent")),
            col("_d"), GRAINS, TOTAL_ONLY)
        .groupBy(Columns.of(KEY)).agg(count(lit(1)).as("n_tickets_scored"),
            count_if(col("csat_score").geq(settings.csatPositiveMin())).as("n_tickets_positive"));

    Dataset<Row> all = conv
        .join(impr, Columns.names(KEY), "full_outer")
        .join(leadAgg, Columns.names(KEY), "full_outer")
        .join(ticketAgg, Columns.names(KEY), "full_outer");
    return toMetricRows(all, specs(settings));
  }

  static Column first(List<Column> c) {
    return c.get(0);
  }

  static Column[] rest(List<Column> c) {
    return c.subList(1, c.size()).toArray(new Column[0]);
  }

  static final List<String> OUTCOMES = List.of("resolved", "handed_off", "completed", "abandoned");

  static List<Column> conversationCounts(Settings settings) {
    Column engaged = col("engaged");
    List<Column> a = new ArrayList<>(List.of(
        count(lit(1)).as("n_conv"),
        count_if(engaged).as("n_engaged"),
        count_if(col("goal_completed")).as("n_goal"),
        count_if(col("eligible")).as("n_eligible"),
        count_if(col("eligible").and(col("deflected"))).as("n_deflected"),
        count_if(engaged.and(col("resolved"))).as("n_resolved_engaged"),
        count_if(col("resolved")).as("n_resolved"),
        sum(col("fallback_turns")).as("n_fallback_turns"),
        sum(col("bot_turns")).as("n_bot_turns"),
        count_if(engaged.and(col("fallback_turns").gt(0))).as("n_fallback_sessions"),
        count_if(engaged.and(col("handed_off"))).as("n_handoff"),
        count_if(col("completed")).as("n_completed"),
        median(when(col("completed"), col("user_turns").cast(DataTypes.DoubleType))).as("med_turns"),
        median(when(col("completed"), col("duration_seconds"))).as("med_duration"),
        count_if(engaged.and(col("first_useful_answer_seconds").isNotNull())).as("n_fua"),
        median(when(engaged, col("first_useful_answer_seconds"))).as("med_fua"),
        count_if(engaged.and(col("converted"))).as("n_converted"),
        count_if(engaged.and(col("lead_captured"))).as("n_chat_leads"),
        count_if(col("csat_score").isNotNull()).as("n_csat"),
        count_if(col("csat_positive")).as("n_csat_positive"),
        count_if(engaged.and(col("knowledge_gap"))).as("n_gap"),
        sum(when(col("converted"), col("purchase_revenue"))).cast(DataTypes.DoubleType).as("s_revenue")));
    for (String o : OUTCOMES) {
      Column is = col("outcome").equalTo(o);
      a.add(count_if(is.and(col("csat_score").isNotNull())).as("n_csat_" + o));
      a.add(count_if(is.and(col("csat_positive"))).as("n_csat_positive_" + o));
    }
    return a;
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
    Column qualified = settings.leadQualityLevel() == Settings.LeadQualityLevel.SQL
        ? col("sql_at").isNotNull()
        : col("mql_at").isNotNull().or(col("sql_at").isNotNull());
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

  static List<Spec> specs(Settings s) {
    Column conv = n("n_conv");
    Column engaged = n("n_engaged");
    Column hasConv = conv.gt(0);
    Column programCost = prorated(s.costs().platformMonthly() + s.costs().maintenanceMonthly())
        .plus(engaged.multiply(s.costs().perConversation()));
    Column deflected = n("n_deflected");
    Column savings = deflected.multiply(s.costs().manualCostPerConversation())
        .minus(deflected.multiply(s.costs().perConversation()))
        .minus(prorated(s.costs().platformMonthly()));
    List<Spec> specs = new ArrayList<>(List.of(
        countSpec("impressions", n("n_impressions"), CHANNEL_ONLY, n("n_impressions").gt(0)),
        countSpec("conversations", conv, ALL_SETS, hasConv),
        countSpec("engaged_conversations", engaged, ALL_SETS, hasConv),
        ratioSpec("engagement_rate", engaged, n("n_impressions"), CHANNEL_ONLY),
        ratioSpec("goal_completion_rate", n("n_goal"), conv, ALL_SETS),
        ratioSpec("deflection_rate", deflected, n("n_eligible"), ALL_SETS),
        ratioSpec("resolution_rate", n("n_resolved_engaged"), engaged, ALL_SETS),
        ratioSpec("fallback_rate", n("n_fallback_turns"), n("n_bot_turns"), ALL_SETS),
        ratioSpec("fallback_session_rate", n("n_fallback_sessions"), engaged, ALL_SETS),
        ratioSpec("handoff_rate", n("n_handoff"), engaged, ALL_SETS),
        medianSpec("median_turns", col("med_turns"), n("n_completed")),
        medianSpec("median_duration_seconds", col("med_duration"), n("n_completed")),
        medianSpec("median_first_useful_answer_seconds", col("med_fua"), n("n_fua")),
        new Spec("cost_per_interaction", Kind.COST, programCost, engaged, TOTAL_ONLY, engaged.gt(0)),
        new Spec("cost_per_resolution", Kind.COST, programCost, n("n_resolved"), TOTAL_ONLY, n("n_resolved").gt(0)),
        ratioSpec("conversion_rate", n("n_converted"), engaged, ALL_SETS),
        ratioSpec("chat_to_lead_rate", n("n_chat_leads"), engaged, ALL_SETS),
        ratioSpec("lead_quality_rate", n("n_bot_qualified"), n("n_bot_leads"), ALL_SETS),
        ratioSpec("lead_quality_rate_form", n("n_form_qualified"), n("n_form_leads"), TOTAL_ONLY),
        ratioSpec("qualified_booking_rate", n("n_bot_booked"), n("n_bot_leads"), ALL_SETS),
        ratioSpec("qualified_booking_rate_form", n("n_form_booked"), n("n_form_leads"), TOTAL_ONLY),
        ratioSpec("csat", n("n_csat_positive"), n("n_csat"), ALL_SETS)));
    for (String o : OUTCOMES) {
      specs.add(ratioSpec("csat_" + o, n("n_csat_positive_" + o), n("n_csat_" + o), ALL_SETS));
    }
    specs.add(ratioSpec("csat_human", n("n_tickets_positive"), n("n_tickets_scored"), TOTAL_ONLY));
    specs.add(ratioSpec("knowledge_gap_rate", n("n_gap"), engaged, ALL_SETS));
    specs.add(countSpec("purchase_revenue_after_chat", coalesce(col("s_revenue"), lit(0d)), ALL_SETS, hasConv));
    specs.add(countSpec("deflection_savings", savings, TOTAL_ONLY, hasConv));
    return specs;
  }

  static Spec countSpec(String name, Column value, List<Integer> sets, Column exists) {
    return new Spec(name, Kind.COUNT, value, lit(null).cast(DataTypes.DoubleType), sets, exists);
  }

  static Spec ratioSpec(String name, Column num, Column den, List<Integer> sets) {
    return new Spec(name, Kind.PROPORTION, num, den, sets, den.gt(0));
  }

  static Spec medianSpec(String name, Column value, Column n) {
    return new Spec(name, Kind.MEDIAN, value, n, ALL_SETS, n.gt(0));
  }

  /** Unpivots the wide counts into metric rows with value and Wilson interval, in one projection. */
  static Dataset<Row> toMetricRows(Dataset<Row> wide, List<Spec> specs) {
    List<Column> rows = new ArrayList<>();
    for (Spec m : specs) {
      Column num = m.numerator().cast(DataTypes.DoubleType);
      Column den = m.denominator().cast(DataTypes.DoubleType);
      Column value = switch (m.kind()) {
        case COUNT, MEDIAN -> num;
        case PROPORTION, COST -> num.divide(den);
      };
      Column outNum = m.kind() == Kind.MEDIAN ? lit(null).cast(DataTypes.DoubleType) : num;
      Column include = col(SET).isin(m.sets().toArray()).and(m.exists());
      Column[] ci = m.kind() == Kind.PROPORTION ? wilson(num, den)
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
