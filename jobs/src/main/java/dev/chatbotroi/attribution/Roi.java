package dev.chatbotroi.attribution;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.Columns;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.metrics.Metrics;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** Computes `roi`: per month, program cost against avoided labour plus bot-attributed gross profit (docs/attribution.md#roi). */
public final class Roi {
  private Roi() {}

  /**
   * @param conversations all conversations; @param credits {@link Attribution#credits} rows
   */
  public static Dataset<Row> compute(Dataset<Row> conversations, Dataset<Row> credits, Dataset<Row> won,
      Settings settings) {
    Settings.Costs c = settings.costs();
    String model = settings.attribution().roiModel();
    int window = settings.attribution().roiWindowDays();
    Dataset<Row> months = conversations.groupBy(trunc(col("period_date"), "month").as("period_start"))
        .agg(count_if(col("engaged")).as("_engaged"), count_if(col("deflected")).as("deflected"));
    Dataset<Row> profit = credits
        .where(col("model").equalTo(model).and(col("window_days").equalTo(window))
            .and(col("touch_type").equalTo("bot")))
        .groupBy(trunc(Metrics.localDate(col("closed_at"), settings), "month").as("period_start"))
        .agg(sum(col("attributed_gross_profit")).cast(DataTypes.DoubleType).as("attributed_gross_profit"));
    Dataset<Row> dealMonths = won.select(trunc(Metrics.localDate(col("closed_at"), settings), "month")
        .as("period_start")).distinct();
    Dataset<Row> all = months.join(dealMonths, Columns.names("period_start"), "full_outer")
        .join(profit, Columns.names("period_start"), "left");
    Column engaged = coalesce(col("_engaged"), lit(0L)).cast(DataTypes.DoubleType);
    Column deflected = coalesce(col("deflected"), lit(0L));
    // a whole month: the monthly fees in full
    Column cost = lit(c.platformMonthly() + c.maintenanceMonthly()).plus(engaged.multiply(c.perConversation()));
    Column avoided = deflected.cast(DataTypes.DoubleType).multiply(c.manualCostPerConversation());
    Column savings = avoided.minus(deflected.cast(DataTypes.DoubleType).multiply(c.perConversation()))
        .minus(lit(c.platformMonthly()));
    Column agp = coalesce(col("attributed_gross_profit"), lit(0d));
    return all.select(lit("month").as("period_grain"), col("period_start"), cost.as("program_cost"),
        deflected.as("deflected"), avoided.as("avoided_labor_cost"), savings.as("deflection_savings"),
        lit(model).as("model"), lit(window).as("window_days"), agp.as("attributed_gross_profit"),
        when(cost.notEqual(0), avoided.plus(agp).minus(cost).divide(cost).multiply(100)).as("roi_pct"));
  }
}
