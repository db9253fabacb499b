package dev.chatbotroi.attribution;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.ChannelRoiTable;
import dev.chatbotroi.common.Columns;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Schemas;
import dev.chatbotroi.common.Segments;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.SpendTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Computes `channel_roi` (docs/attribution.md#channel-roi): per month, model and window, what each
 * marketing channel cost against the revenue credited to its touches, and the same for the bot
 * with its program cost as spend; grain: one row per month, model, window and channel.
 */
public final class ChannelRoi {
  private ChannelRoi() {}

  private static final String[] KEY = {"period_start", "model", "window_days", "touch_type", "channel"};

  /**
   * @param credits {@link Attribution#credits} rows (zero credits included); @param won
   * {@link Attribution#wonDeals}; @param conversations all conversations; @param spend the `spend` table
   */
  public static Dataset<Row> compute(Dataset<Row> credits, Dataset<Row> won, Dataset<Row> conversations,
      Dataset<Row> spend, Settings settings) {
    // a deal counts in the reporting-zone month it closed in, as in revenue_attribution
    Dataset<Row> credited = credits
        .groupBy(trunc(Periods.localDate(col("closed_at"), settings), "month").as("period_start"), col("model"),
            col("window_days"), col("touch_type"),
            when(col("touch_type").equalTo("bot"), lit(Segments.ALL)).otherwise(col("channel")).as("channel"))
        // summed as exact decimals: a sum of doubles depends on the order rows arrive in, run to run
        .agg(sum(col("credit").cast(Attribution.CREDIT)).cast(DataTypes.DoubleType)
                .as(ChannelRoiTable.CREDITED_DEALS),
            sum(col("attributed_revenue")).as("attributed_revenue"),
            sum(col("attributed_gross_profit")).as("attributed_gross_profit"));
    Dataset<Row> channelSpend = forEveryModelAndWindow(spend
        .groupBy(trunc(col(SpendTable.DATE), "month").as("period_start"), col(SpendTable.CHANNEL).as("channel"))
        .agg(sum(col(SpendTable.AMOUNT)).as(ChannelRoiTable.SPEND))
        .withColumn("touch_type", lit("marketing")), settings);
    // a channel has a row under a model and window when it spent in the month or that model credits it
    Dataset<Row> marketing = channelSpend.join(credited.where(col("touch_type").equalTo("marketing")
        .and(col(ChannelRoiTable.CREDITED_DEALS).gt(0))), Columns.names(KEY), "full_outer");
    // the bot's spend is roi's program cost, so the bot has a row for every month roi has
    Dataset<Row> programCost = forEveryModelAndWindow(Roi.compute(conversations, credits, won, settings)
        .select(col("period_start"), col("program_cost").as(ChannelRoiTable.SPEND), lit("bot").as("touch_type"),
            lit(Segments.ALL).as("channel")), settings);
    Dataset<Row> bot = programCost.join(credited.where(col("touch_type").equalTo("bot")), Columns.names(KEY), "left");
    return withRatios(marketing.unionByName(bot));
  }

  /** Each row once per (model, window) of the settings. */
  private static Dataset<Row> forEveryModelAndWindow(Dataset<Row> rows, Settings settings) {
    List<Column> mw = new ArrayList<>();
    for (String m : settings.attribution().models()) {
      for (int w : settings.attribution().windowDays()) {
        mw.add(struct(lit(m).as("model"), lit(w).as("window_days")));
      }
    }
    return rows.withColumn("_mw", explode(array(mw.toArray(new Column[0]))))
        .withColumn("model", col("_mw.model")).withColumn("window_days", col("_mw.window_days")).drop("_mw");
  }

  /** Missing sums as 0, then the ratios: empty where the divisor is 0. Money stays decimal; only ratios are doubles. */
  private static Dataset<Row> withRatios(Dataset<Row> rows) {
    Column zero = lit(0).cast(Schemas.MONEY);
    Column spend = coalesce(col(ChannelRoiTable.SPEND), zero).cast(Schemas.MONEY);
    Column credited = coalesce(col(ChannelRoiTable.CREDITED_DEALS), lit(0d));
    Column revenue = coalesce(col("attributed_revenue"), zero).cast(Schemas.MONEY);
    Column profit = coalesce(col("attributed_gross_profit"), zero).cast(Schemas.MONEY);
    Column spendD = spend.cast(DataTypes.DoubleType);
    return rows.select(lit("month").as("period_grain"), col("period_start"), col("model"), col("window_days"),
        col("touch_type"), col("channel"), spend.as(ChannelRoiTable.SPEND),
        credited.as(ChannelRoiTable.CREDITED_DEALS),
        revenue.as("attributed_revenue"), profit.as("attributed_gross_profit"),
        when(spend.notEqual(0), revenue.cast(DataTypes.DoubleType).divide(spendD)).as(ChannelRoiTable.ROAS),
        when(credited.notEqual(0), spendD.divide(credited)).as(ChannelRoiTable.COST_PER_WON_DEAL),
        // the difference is exact in decimals; only the ratio is a double
        when(spend.notEqual(0), profit.minus(spend).cast(DataTypes.DoubleType).divide(spendD).multiply(100))
            .as(ChannelRoiTable.ROI_PCT));
  }
}
