package dev.chatbotroi.conversations;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_min;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.bool_or;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.EventContract;
import dev.chatbotroi.common.Schemas;
import dev.chatbotroi.common.Settings;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** Builds `conversations` (docs/metrics.md#conversations): one row per conversation_id from its events, tickets and purchases. */
public final class Conversations {
  private Conversations() {}

  public static final String NONE = "(none)";

  static final List<String> DIMENSIONS = List.of("channel", "flow", "intent", "page_type", "utm_campaign");

  /** The value of {@code c} on the earliest (event_ts, event_id) event where it is not null. */
  static Column earliest(Column when, Column value, String name) {
    Column counts = when.and(value.isNotNull()).and(col("_purchase").unary_$bang());
    return min(when(counts, struct(col("event_ts"), col("event_id"), value.as("v")))).getField("v").as(name);
  }

  static Column earliest(String field) {
    return earliest(lit(true), col(field), field);
  }

  static Column has(String... names) {
    return bool_or(col("event_name").isin((Object[]) names));
  }

  static Column seconds(Column from, Column to) {
    // microsecond difference, rounded to milliseconds (docs/metrics.md: doubles with millisecond precision)
    return round(unix_micros(to).minus(unix_micros(from)).divide(1_000_000d), 3);
  }

  /** The question as docs/metrics.md#knowledge-gaps normalises it: lower-case, white space collapsed, trailing ?!. removed. */
  public static Column normalizedQuestion(Column q) {
    Column c = trim(regexp_replace(lower(q), "\\s+", " "));
    return trim(regexp_replace(c, "[?!.]+$", ""));
  }

  /**
   * @param events  accepted events (the `events` table, or a slice of it that holds whole conversations)
   * @param identity the identity map of all events of all time ({@link #identityMap})
   * @param tickets  the `tickets` table (possibly empty)
   */
  public static Dataset<Row> build(Dataset<Row> events, Dataset<Row> identity, Dataset<Row> tickets,
      Settings settings) {
    String tz = settings.timezone().getId();
    // Purchases ride along in the same aggregation (as a list), so the events are grouped once.
    // the contract's non-conversation events (impressions, touches, assignments) never form one,
    // whatever conversation_id they carry
    Dataset<Row> convEvents = events.where(col("conversation_id").isNotNull()
        .and(col("event_name").isin(EventContract.NON_CONVERSATION.toArray()).unary_$bang()))
        .withColumn("_purchase", col("event_name").equalTo("purchase_after_chat"));

    Column usefulAnswer = col("event_name").equalTo("bot_message").and(coalesce(col("useful"), lit(false)));
    Dataset<Row> agg = convEvents.groupBy("conversation_id").agg(
        earliest("anonymous_id"),
        earliest("channel"), earliest("flow"), earliest("intent"), earliest("page_type"), earliest("utm_campaign"),
        min(when(col("_purchase").unary_$bang(), col("event_ts"))).as("start_ts"),
        max(when(col("_purchase").unary_$bang(), col("event_ts"))).as("end_ts"),
        collect_list(when(col("_purchase"), struct(col("event_ts").as("ts"), col("revenue").as("revenue"))))
            .as("_purchases"),
        has("chat_engaged", "user_message").as("engaged"),
        count_if(col("event_name").equalTo("user_message")).cast(DataTypes.IntegerType).as("user_turns"),
        count_if(col("event_name").isin("bot_message", "bot_fallback")).cast(DataTypes.IntegerType).as("bot_turns"),
        count_if(col("event_name").equalTo("bot_fallback")).cast(DataTypes.IntegerType).as("fallback_turns"),
        min(when(col("event_name").isin("chat_engaged", "user_message"), col("event_ts"))).as("_t0"),
        collect_list(when(usefulAnswer, col("event_ts"))).as("_useful_ts"),
        has("bot_goal_completed").as("goal_completed"),
        has("bot_resolved", "ticket_deflected").as("resolved"),
        has("bot_handoff_human").as("handed_off"),
        has("agent_message").as("agent_involved"),
        has("bot_knowledge_gap").as("knowledge_gap"),
        max(when(col("event_name").equalTo("csat_response"),
            struct(col("event_ts"), col("event_id"), col("score").as("v")))).getField("v").as("csat_score"),
        earliest(col("event_name").isin("lead_captured_chat", "meeting_booked"), col("lead_id"), "_captured_lead"),
        earliest(lit(true), col("user_id"), "_user_lead"),
        has("lead_captured_chat").as("lead_captured"),
        array_sort(collect_set(when(col("event_name").equalTo("lead_captured_chat"), col("lead_id"))))
            .as("captured_lead_ids"),
        array_sort(collect_set(when(col("event_name").equalTo("bot_knowledge_gap"),
            normalizedQuestion(col("question"))))).as("gap_questions"),
        has(settings.conversion().events().toArray(new String[0])).as("_conversion_event"));

    Column firstUseful = array_min(filter(col("_useful_ts"), t -> t.geq(col("_t0"))));
    long windowMicros = settings.conversion().windowDays() * 86_400L * 1_000_000L;
    Column inWindow = filter(col("_purchases"), p -> p.getField("ts").geq(col("start_ts"))
        .and(unix_micros(p.getField("ts")).leq(unix_micros(col("end_ts")).plus(lit(windowMicros)))));
    Dataset<Row> convs = agg
        .where(col("start_ts").isNotNull()) // a conversation needs one event other than a purchase
        .withColumn("_in_window", inWindow)
        .withColumn("_purchased", size(col("_in_window")).gt(0))
        .withColumn("purchase_revenue", aggregate(col("_in_window"), lit(0).cast(Schemas.MONEY),
            (acc, p) -> acc.plus(coalesce(p.getField("revenue"), lit(0).cast(Schemas.MONEY))).cast(Schemas.MONEY)))
        .join(identity, col("anonymous_id").equalTo(col("mapped_anonymous_id")), "left")
        .drop("mapped_anonymous_id")
        .withColumn("lead_id", coalesce(col("_captured_lead"), col("_user_lead"), col("mapped_lead_id")))
        .withColumn("duration_seconds", seconds(col("start_ts"), col("end_ts")))
        .withColumn("first_useful_answer_seconds",
            when(col("_t0").isNotNull(), seconds(col("_t0"), firstUseful)))
        .withColumn("csat_positive", col("csat_score").geq(settings.csatPositiveMin()))
        .withColumn("eligible", coalesce(col("intent").isin((Object[]) settings.deflection().eligibleIntents().toArray()), lit(false)));

    Dataset<Row> ticketed = ticketed(convs, tickets, settings);
    Column deflected = col("eligible").and(col("resolved")).and(col("handed_off").unary_$bang())
        .and(col("agent_involved").unary_$bang()).and(col("_ticketed").unary_$bang());
    Column completed = col("goal_completed").or(col("resolved"));
    Dataset<Row> joined = convs
        .join(ticketed, "conversation_id", "left")
        .withColumn("_ticketed", coalesce(col("_ticketed"), lit(false)))
        .withColumn("deflected", deflected)
        .withColumn("converted", col("_conversion_event").or(col("_purchased")))
        .withColumn("completed", completed)
        .withColumn("outcome",
            when(col("handed_off"), lit("handed_off"))
                .when(col("resolved"), lit("resolved"))
                .when(col("goal_completed"), lit("completed"))
                .when(col("engaged"), lit("abandoned"))
                .otherwise(lit("not_engaged")))
        .withColumn("period_date", to_date(from_utc_timestamp(col("start_ts"), tz)));
    for (String d : DIMENSIONS) {
      joined = joined.withColumn(d, coalesce(col(d), lit(NONE)));
    }
    return joined;
  }

  /**
   * Conversation ids that lose deflection to a help-desk ticket of the same visitor (conversation,
   * anonymous or lead id; a null key never matches) created in [start_ts, end_ts + window].
   * Both sides are unfolded to (key kind, key) rows so one equi-join serves all three keys.
   */
  static Dataset<Row> ticketed(Dataset<Row> convs, Dataset<Row> tickets, Settings settings) {
    long windowMicros = settings.deflection().ticketWindowDays() * 86_400L * 1_000_000L;
    Dataset<Row> c = convs.where(col("eligible").and(col("resolved")))
        .select(col("conversation_id").as("_cid"), col("start_ts").as("_start"), col("end_ts").as("_end"),
            explode(keys("conversation_id", "anonymous_id", "lead_id")).as("_key"));
    Dataset<Row> t = tickets.select(col("created_at").as("_created"),
        explode(keys("conversation_id", "anonymous_id", "lead_id")).as("_tkey"));
    return c.join(t, c.col("_key").equalTo(t.col("_tkey"))
            .and(t.col("_created").geq(c.col("_start")))
            .and(unix_micros(t.col("_created")).leq(unix_micros(c.col("_end")).plus(lit(windowMicros)))))
        .select(col("_cid").as("conversation_id")).distinct().withColumn("_ticketed", lit(true));
  }

  /** The non-null ids among {@code names}, each as struct(kind, id). */
  static Column keys(String... names) {
    Column[] parts = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      parts[i] = when(col(names[i]).isNotNull(), struct(lit(i).as("kind"), col(names[i]).as("id")));
    }
    return filter(array(parts), k -> k.isNotNull());
  }

}
