package dev.chatbotroi.attribution;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.bool_or;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Columns;
import dev.chatbotroi.common.Schemas;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.Deals;
import dev.chatbotroi.common.Segments;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * Multi-touch attribution (docs/attribution.md): touches of each lead, won deals with their anchor, and
 * per deal × model × window the credit of every touch in the window. Grain of {@link #credits}:
 * one row per deal, model, window and touch in the window (zero credits included).
 */
public final class Attribution {
  private Attribution() {}

  static final long DAY_MICROS = 86_400L * 1_000_000L;

  /** Bot touches (conversations linked to a lead) and marketing touches (linked by user_id or the identity map). */
  public static Dataset<Row> touches(Dataset<Row> conversations, Dataset<Row> events, Dataset<Row> identity) {
    Dataset<Row> bot = conversations.where(col("lead_id").isNotNull()).select(
        col("lead_id").as("touch_lead_id"), col("conversation_id").as("touch_id"), lit("bot").as("touch_type"),
        col("start_ts").as("touch_ts"), col("channel"), col("flow"), col("intent"),
        coalesce(col("utm_campaign"), lit("(none)")).as("campaign"));
    Dataset<Row> mt = events.where(col("event_name").equalTo("marketing_touch"));
    Dataset<Row> marketing = mt.join(identity, mt.col("anonymous_id").equalTo(identity.col("mapped_anonymous_id")),
            "left")
        .withColumn("_lead", coalesce(col("user_id"), col("mapped_lead_id")))
        .where(col("_lead").isNotNull())
        .select(col("_lead").as("touch_lead_id"), col("event_id").as("touch_id"), lit("marketing").as("touch_type"),
            col("event_ts").as("touch_ts"), coalesce(col("touch_channel"), lit("(none)")).as("channel"),
            lit("(none)").as("flow"), lit("(none)").as("intent"),
            coalesce(col("utm_campaign"), lit("(none)")).as("campaign"));
    return bot.unionByName(marketing);
  }

  /** Closed-won deals with their owner lead, anchor, amount and gross profit (default margin applied). */
  public static Dataset<Row> wonDeals(Dataset<Row> deals, Dataset<Row> leads, Settings settings) {
    return Deals.owned(deals, leads)
        .where(col("stage").equalTo("closed_won").and(col("closed_at").isNotNull()))
        .select(col("deal_id"), col("owner_lead_id"), col("closed_at"), anchor(settings).as("anchor"), col("amount"),
            Deals.grossProfit(settings).as("gross_profit"));
  }

  /** Closed-lost deals that have an owner and an anchor: they anchor their owner's non-converting journey. */
  public static Dataset<Row> lostDeals(Dataset<Row> deals, Dataset<Row> leads, Settings settings) {
    return Deals.owned(deals, leads)
        .where(col("stage").equalTo("closed_lost"))
        .select(col("owner_lead_id"), anchor(settings).as("anchor"), col("deal_id"))
        .where(col("owner_lead_id").isNotNull().and(col("anchor").isNotNull()));
  }

  private static Column anchor(Settings settings) {
    return settings.attribution().anchor() == Settings.Anchor.CREATED_AT ? col("created_at") : col("closed_at");
  }

  /**
   * Every (anchored row, window, touch) with anchor − W days ≤ touch time ≤ anchor, for each window W,
   * with a `window_days` column: {@code anchored} has `owner_lead_id` and `anchor`. The join carries
   * the largest window in its condition, so a person's touches meet only the anchors they can count for.
   */
  static Dataset<Row> inWindows(Dataset<Row> anchored, Dataset<Row> touches, List<Integer> windows) {
    long maxWindow = windows.stream().mapToLong(Integer::longValue).max().orElseThrow() * DAY_MICROS;
    Column anchorMicros = unix_micros(col("anchor"));
    Column touchMicros = unix_micros(col("touch_ts"));
    Dataset<Row> pairs = anchored.join(touches, anchored.col("owner_lead_id").equalTo(touches.col("touch_lead_id"))
        .and(touchMicros.leq(anchorMicros))
        .and(touchMicros.geq(anchorMicros.minus(lit(maxWindow)))));
    Column[] ws = windows.stream().map(w -> lit(w)).toArray(Column[]::new);
    return pairs.withColumn("window_days", explode(array(ws)))
        .where(touchMicros.geq(anchorMicros.minus(col("window_days").cast(DataTypes.LongType).multiply(DAY_MICROS))));
  }

  /**
   * The credits of every (deal, window, touch in the window) for each model, the learned models'
   * shares coming from {@link LearnedShares#fit} over the journeys of the same warehouse.
   */
  public static Dataset<Row> credits(Dataset<Row> won, Dataset<Row> touches, Settings settings) {
    Dataset<Row> lost = won.sparkSession().emptyDataFrame()
        .select(lit(null).cast("string").as("owner_lead_id"), lit(null).cast("timestamp").as("anchor"),
            lit(null).cast("string").as("deal_id"));
    Dataset<Row> journeys = Journeys.of(won, lost, touches, settings);
    return credits(won, touches, LearnedShares.fit(journeys, settings).shares(), settings);
  }

  /**
   * Every (deal, window, touch) with anchor − W days ≤ touch time ≤ anchor, and for each model the
   * touch's credit; {@code shares} are the learned models' shares per (window, state set, state).
   */
  public static Dataset<Row> credits(Dataset<Row> won, Dataset<Row> touches, Dataset<Row> shares,
      Settings settings) {
    Column anchorMicros = unix_micros(col("anchor"));
    Column touchMicros = unix_micros(col("touch_ts"));
    Dataset<Row> inWindow = inWindows(won, touches, settings.attribution().windowDays())
        .withColumn(Journeys.STATE, Journeys.state());
    WindowSpec byDeal = Window.partitionBy("deal_id", "window_days");
    Dataset<Row> ranked = inWindow
        .withColumn("_i", row_number().over(byDeal.orderBy(col("touch_ts"), col("touch_id"))))
        .withColumn("_n", count(lit(1)).over(byDeal))
        .withColumn("_age_days", anchorMicros.minus(touchMicros).cast(DataTypes.DoubleType).divide((double) DAY_MICROS));
    boolean learned = settings.attribution().models().stream().map(Model::of).anyMatch(Model::learned);
    if (learned) {
      ranked = LearnedShares.weights(ranked, shares);
    }
    List<Column> models = new ArrayList<>();
    for (String id : settings.attribution().models()) {
      Model m = Model.of(id);
      models.add(struct(lit(m.id()).as("model"),
          m.weight(col("_i"), col("_n"), col("_age_days"), settings.attribution()).as("weight")));
    }
    Dataset<Row> weighted = ranked.withColumn("_m", explode(array(models.toArray(new Column[0]))))
        .withColumn("model", col("_m.model"))
        .withColumn("_w", col("_m.weight"));
    // an ordered frame, so the sum adds the weights in one order on every run and machine
    WindowSpec byRun = Window.partitionBy("deal_id", "window_days", "model").orderBy(col("touch_ts"), col("touch_id"))
        .rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    Column credit = col("_w").divide(sum(col("_w")).over(byRun));
    return weighted.withColumn("credit", credit)
        .withColumn("attributed_revenue", money(col("amount"), col("credit")))
        .withColumn("attributed_gross_profit", money(col("gross_profit"), col("credit")))
        .withColumn("is_first", col("_i").equalTo(1))
        .drop("_m", "_w", "_age_days", LearnedShares.MARKOV_W, LearnedShares.SHAPLEY_W, Journeys.STATE);
  }

  /** A credit as an exact decimal of 18 places: enough that amount × credit is exact to the cent and beyond. */
  static final org.apache.spark.sql.types.DataType CREDIT = DataTypes.createDecimalType(38, 18);

  /**
   * Money times a credit in decimal arithmetic, rounded half-up to the money scale: an amount is
   * never passed through a double, which has only ~16 significant digits.
   */
  public static Column money(Column amount, Column credit) {
    return amount.cast(Schemas.MONEY).multiply(credit.cast(CREDIT)).cast(Schemas.MONEY);
  }

  /** The `attribution_credits` rows: credits above zero. */
  public static Dataset<Row> creditRows(Dataset<Row> credits) {
    return credits.where(col("credit").gt(0)).select(col("deal_id"), col("model"), col("window_days"),
        col("touch_id"), col("touch_type"), col("touch_ts"), col("channel"), col("flow"), col("intent"),
        col("campaign"), col("credit"), col("attributed_revenue"), col("attributed_gross_profit"), col("closed_at"));
  }

  static final List<String> GRAINS = List.of("week", "month");

  /** `revenue_attribution`: touch type × grouping sets × week/month, plus won and unattributed revenue on (all) rows. */
  public static Dataset<Row> revenue(Dataset<Row> credits, Dataset<Row> won, Settings settings) {
    Column closedDate = dev.chatbotroi.common.Periods.localDate(col("closed_at"), settings);
    Dataset<Row> typed = credits.withColumn("_types", array(col("touch_type"), lit(Segments.ALL)))
        .withColumn("touch_type", explode(col("_types"))).drop("_types");
    Dataset<Row> fanned = Segments.fanOut(typed.withColumn("_d", closedDate), col("_d"), GRAINS,
        Segments.ALL_SETS);
    String[] key = {Segments.GRAIN, Segments.START, "model", "window_days", "touch_type", Segments.SET,
        "channel", "flow", "intent"};
    Dataset<Row> perDeal = fanned.groupBy(Columns.of(key, "deal_id")).agg(
        sum(col("attributed_revenue")).as("_attr"), sum(col("attributed_gross_profit")).as("_agp"),
        first(col("amount")).as("_amount"), bool_or(col("is_first")).as("_sourced"));
    Dataset<Row> slices = perDeal.groupBy(Columns.of(key)).agg(
        count(lit(1)).as("deals"), sum(col("_attr")).as("attributed_revenue"), sum(col("_agp")).as("attributed_gross_profit"),
        sum(col("_amount")).as("influenced_revenue"),
        sum(when(col("_sourced"), col("_amount")).otherwise(lit(0).cast(Schemas.MONEY))).as("sourced_revenue"));

    // won and unattributed revenue: every won deal, for every model and window, on the (all) row
    Dataset<Row> attributed = credits.select("deal_id", "window_days").distinct().withColumn("_has", lit(true));
    List<Column> mw = new ArrayList<>();
    for (String m : settings.attribution().models()) {
      for (int w : settings.attribution().windowDays()) {
        mw.add(struct(lit(m).as("model"), lit(w).as("window_days")));
      }
    }
    Dataset<Row> dealRuns = won.withColumn("_mw", explode(array(mw.toArray(new Column[0]))))
        .select(col("deal_id"), col("amount"), closedDate.as("_d"), col("_mw.model").as("model"),
            col("_mw.window_days").as("window_days"));
    Dataset<Row> withFlag = dealRuns.join(attributed, List.of("deal_id", "window_days").stream()
            .map(c -> dealRuns.col(c).equalTo(attributed.col(c))).reduce(Column::and).orElseThrow(), "left")
        .select(dealRuns.col("deal_id"), col("amount"), col("_d"), col("model"), dealRuns.col("window_days"),
            coalesce(col("_has"), lit(false)).as("_has"));
    List<Column> grains = new ArrayList<>();
    for (String g : GRAINS) {
      grains.add(struct(lit(g).as("g"), Segments.periodStart(g, col("_d")).as("s")));
    }
    Dataset<Row> totals = withFlag.withColumn("_p", explode(array(grains.toArray(new Column[0]))))
        .groupBy(col("_p.g").as(Segments.GRAIN), col("_p.s").as(Segments.START), col("model"), col("window_days"))
        .agg(sum(col("amount")).as("won_revenue"),
            sum(when(col("_has").unary_$bang(), col("amount")).otherwise(lit(0).cast(Schemas.MONEY)))
                .as("unattributed_revenue"))
        .withColumn("touch_type", lit(Segments.ALL)).withColumn(Segments.SET, lit(0))
        .withColumn("channel", lit(Segments.ALL)).withColumn("flow", lit(Segments.ALL))
        .withColumn("intent", lit(Segments.ALL));

    Column zero = lit(0).cast(Schemas.MONEY);
    return slices.join(totals, Columns.names(key), "full_outer")
        .select(col(Segments.GRAIN).as("period_grain"), col(Segments.START).as("period_start"), col("model"),
            col("window_days"), col("touch_type"), col("channel"), col("flow"), col("intent"),
            coalesce(col("deals"), lit(0L)).as("deals"),
            coalesce(col("attributed_revenue"), zero).cast(Schemas.MONEY).as("attributed_revenue"),
            coalesce(col("attributed_gross_profit"), zero).cast(Schemas.MONEY).as("attributed_gross_profit"),
            coalesce(col("influenced_revenue"), zero).cast(Schemas.MONEY).as("influenced_revenue"),
            coalesce(col("sourced_revenue"), zero).cast(Schemas.MONEY).as("sourced_revenue"),
            col("won_revenue").cast(Schemas.MONEY).as("won_revenue"),
            col("unattributed_revenue").cast(Schemas.MONEY).as("unattributed_revenue"));
  }
}
