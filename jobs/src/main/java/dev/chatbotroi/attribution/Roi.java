package dev.chatbotroi.attribution;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Columns;
import dev.chatbotroi.common.Schemas;
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
        .groupBy(trunc(Periods.localDate(col("closed_at"), settings), "month").as("period_start"))
        .agg(sum(col("attributed_gross_profit")).cast(Schemas.MONEY).as("attributed_gross_profit"));
    Dataset<Row> dealMonths = won.select(trunc(Periods.localDate(col("closed_at"), settings), "month")
        .as("period_start")).distinct();
    Dataset<Row> all = months.join(dealMonths, Columns.names("period_start"), "full_outer")
        .join(profit, Columns.names("period_start"), "left");
    // money in decimals end to end: costs as the decimals they were written as (0.15, not 0.1499…)
    Column engaged = coalesce(col("_engaged"), lit(0L)).cast(COUNT);
    Column deflected = coalesce(col("deflected"), lit(0L));
    // a whole month: the monthly fees in full
    Column cost = money(c.platformMonthly()).plus(money(c.maintenanceMonthly()))
        .plus(engaged.multiply(money(c.perConversation()))).cast(Schemas.MONEY);
    Column avoided = deflected.cast(COUNT).multiply(money(c.manualCostPerConversation())).cast(Schemas.MONEY);
    Column savings = avoided.minus(deflected.cast(COUNT).multiply(money(c.perConversation())))
        .minus(money(c.platformMonthly())).cast(Schemas.MONEY);
    Column agp = coalesce(col("attributed_gross_profit"), money(0)).cast(Schemas.MONEY);
    // the money terms are exact; only the ratio is a double
    Column pct = avoided.plus(agp).minus(cost).cast(DataTypes.DoubleType)
        .divide(cost.cast(DataTypes.DoubleType)).multiply(100);
    return all.select(lit("month").as("period_grain"), col("period_start"), cost.as("program_cost"),
        deflected.as("deflected"), avoided.as("avoided_labor_cost"), savings.as("deflection_savings"),
        lit(model).as("model"), lit(window).as("window_days"), agp.as("attributed_gross_profit"),
        when(cost.notEqual(0), pct).as("roi_pct"));
  }

  /** A count as a decimal, so that count × money stays decimal. */
  static final org.apache.spark.sql.types.DataType COUNT = DataTypes.createDecimalType(20, 0);

  /** A setting's amount as the decimal it was written as. */
  static Column money(double amount) {
    return lit(java.math.BigDecimal.valueOf(amount)).cast(Schemas.MONEY);
  }
}
