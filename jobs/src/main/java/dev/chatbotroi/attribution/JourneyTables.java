package dev.chatbotroi.attribution;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.AttributionPathsTable;
import dev.chatbotroi.common.AttributionStatesTable;
import dev.chatbotroi.common.Columns;
import dev.chatbotroi.common.Schemas;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** The `attribution_states` (per window and state) and `attribution_paths` (per window and path) tables from the journeys. */
public final class JourneyTables {
  private JourneyTables() {}

  /**
   * Sums a share in exact decimal arithmetic, so the total does not depend on the order Spark adds the
   * journeys in: the table is the same bit for bit on every run.
   */
  private static final org.apache.spark.sql.types.DataType EXACT = Attribution.CREDIT;

  /** One row per (window, state): journeys holding it, the removal effect and the two models' shares. */
  public static Dataset<Row> states(Dataset<Row> journeys, LearnedShares.Fit fit) {
    String state = Journeys.STATE;
    Column converting = col("converting");
    Dataset<Row> perState = journeys.select(col("window_days"), converting, explode(col("states")).as(state))
        .groupBy("window_days", state)
        .agg(count(lit(1)).as(AttributionStatesTable.JOURNEYS),
            sum(when(converting, 1L).otherwise(0L)).as(AttributionStatesTable.CONVERTING_JOURNEYS));
    Dataset<Row> converted = journeys.where(converting);
    Dataset<Row> perJourney = converted.select(col("window_days"), col("journey_id"), col("states"), col("touches"),
            explode(col("touch_states")).as(state))
        .groupBy("window_days", "journey_id", "states", "touches", state).agg(count(lit(1)).as("_n"));
    Dataset<Row> shares = broadcast(fit.shares().select(col("window_days").as("_w"), col("states").as("_s"),
        col(state).as("_st"), col("shapley_share").as("_share")));
    Dataset<Row> credited = perJourney.join(shares, col("window_days").equalTo(col("_w"))
            .and(col("states").equalTo(col("_s"))).and(col(state).equalTo(col("_st"))), "left")
        // a journey Shapley could not share (Σ φ = 0, too many states) is credited linearly
        .withColumn("_credit", coalesce(col("_share"), col("_n").cast(DataTypes.DoubleType).divide(col("touches"))));
    Dataset<Row> conversions = converted.groupBy("window_days").agg(count(lit(1)).as("_conversions"));
    Dataset<Row> shapley = credited.groupBy("window_days", state)
        .agg(sum(col("_credit").cast(EXACT)).as("_sum"))
        .join(conversions, "window_days")
        .select(col("window_days"), col(state),
            col("_sum").cast(DataTypes.DoubleType).divide(col("_conversions")).as(AttributionStatesTable.SHAPLEY_SHARE));
    Column touchType = substring_index(col(state), ":", 1);
    return perState.join(fit.effects(), Columns.names("window_days", state), "left")
        .join(shapley, Columns.names("window_days", state), "left")
        .select(col("window_days"), col(state), touchType.as("touch_type"),
            col(state).substr(length(touchType).plus(2), length(col(state))).as("channel"),
            col(AttributionStatesTable.JOURNEYS), col(AttributionStatesTable.CONVERTING_JOURNEYS),
            col("removal_effect").as(AttributionStatesTable.REMOVAL_EFFECT),
            col("markov_share").as(AttributionStatesTable.MARKOV_SHARE),
            col(AttributionStatesTable.SHAPLEY_SHARE));
  }

  /** One row per (window, collapsed path): journeys, conversions, rate, won revenue and the medians to conversion. */
  public static Dataset<Row> paths(Dataset<Row> journeys) {
    Column converting = col("converting");
    Column conversions = sum(when(converting, 1L).otherwise(0L));
    return journeys.groupBy(col("window_days"), col("path_states"))
        .agg(count(lit(1)).as("_journeys"), conversions.as("_conversions"),
            sum(when(converting, col("amount"))).as("_won"),
            median(col("days_to_conversion")).as("_days"),
            median(when(converting, col("touches").cast(DataTypes.DoubleType))).as("_touches"))
        .select(col("window_days"), array_join(col("path_states"), Journeys.PATH_SEPARATOR).as(AttributionPathsTable.PATH),
            size(col("path_states")).as(AttributionPathsTable.PATH_LENGTH), col("_journeys").as("journeys"),
            col("_conversions").as(AttributionPathsTable.CONVERSIONS),
            col("_journeys").minus(col("_conversions")).as(AttributionPathsTable.NON_CONVERSIONS),
            col("_conversions").cast(DataTypes.DoubleType).divide(col("_journeys")).as(AttributionPathsTable.CONVERSION_RATE),
            coalesce(col("_won"), lit(0)).cast(Schemas.MONEY).as(AttributionPathsTable.WON_REVENUE),
            col("_days").as(AttributionPathsTable.MEDIAN_DAYS), col("_touches").as(AttributionPathsTable.MEDIAN_TOUCHES));
  }
}
