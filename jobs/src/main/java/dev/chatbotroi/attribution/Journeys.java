package dev.chatbotroi.attribution;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.Schemas;
import dev.chatbotroi.common.Settings;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Journeys (docs/attribution.md#journeys); grain: one row per window and journey, a converting one per
 * won deal with a person and a non-converting one per person with touches and no won deal. Columns:
 * `window_days`, `converting`, `journey_id` (deal_id or lead_id), `anchor`, `amount` (converting only),
 * `touch_states` (every touch's state in (time, id) order), `path_states` (runs collapsed), `states`
 * (distinct, sorted), `touches`, `days_to_conversion` (anchor − first touch; converting only).
 */
public final class Journeys {
  private Journeys() {}

  /** The column holding a touch's state. */
  public static final String STATE = "state";
  /** How a path's states are joined in `attribution_paths.path`. */
  public static final String PATH_SEPARATOR = " > ";
  static final String NONE = "(none)";

  /** A touch's state: `bot:<channel>` or `marketing:<touch_channel>` (`(none)` for a null channel). */
  static Column state() {
    return concat(col("touch_type"), lit(":"), coalesce(col("channel"), lit(NONE)));
  }

  /**
   * The journeys of every window from won deals (`deal_id`, `owner_lead_id`, `anchor`, `amount`),
   * closed-lost deals (`owner_lead_id`, `anchor`, `deal_id`) and touches. A person's non-converting
   * journey ends at the anchor of their latest closed-lost deal (by anchor, then deal_id), else at
   * their latest touch; a journey without a touch in its window is left out.
   */
  public static Dataset<Row> of(Dataset<Row> won, Dataset<Row> lost, Dataset<Row> touches, Settings settings) {
    Dataset<Row> converting = won.select(col("deal_id").as("journey_id"), col("owner_lead_id"), col("anchor"),
        col("amount").cast(Schemas.MONEY).as("amount"), lit(true).as("converting"));
    Dataset<Row> buyers = won.where(col("owner_lead_id").isNotNull()).select(col("owner_lead_id").as("_buyer"));
    Dataset<Row> lastTouch = touches.groupBy(col("touch_lead_id").as("_person")).agg(max(col("touch_ts")).as("_last"));
    WindowSpec latest = Window.partitionBy("owner_lead_id").orderBy(col("anchor").desc(), col("deal_id").desc());
    Dataset<Row> lostAnchor = lost.withColumn("_r", row_number().over(latest)).where(col("_r").equalTo(1))
        .select(col("owner_lead_id").as("_lost_owner"), col("anchor").as("_lost_anchor"));
    Dataset<Row> persons = lastTouch.join(buyers, col("_person").equalTo(col("_buyer")), "left_anti")
        .join(lostAnchor, col("_person").equalTo(col("_lost_owner")), "left");
    Dataset<Row> nonConverting = persons.select(col("_person").as("journey_id"), col("_person").as("owner_lead_id"),
        coalesce(col("_lost_anchor"), col("_last")).as("anchor"), lit(null).cast(Schemas.MONEY).as("amount"),
        lit(false).as("converting"));
    Dataset<Row> inWindow = Attribution.inWindows(converting.unionByName(nonConverting), touches,
            settings.attribution().windowDays())
        .withColumn(STATE, state());
    Column ts = col("touch_states");
    return inWindow.groupBy(col("window_days"), col("converting"), col("journey_id"))
        .agg(array_sort(collect_list(struct(col("touch_ts"), col("touch_id"), col(STATE)))).as("_t"),
            min(col("touch_ts")).as("_first"), max(col("anchor")).as("anchor"), max(col("amount")).as("amount"))
        .withColumn("touch_states", transform(col("_t"), t -> t.getField(STATE)))
        // keep a state unless it repeats the one before it (i is 0-based, element_at 1-based)
        .withColumn("path_states", filter(ts, (x, i) -> when(i.equalTo(0), lit(true))
            .otherwise(x.notEqual(element_at(ts, i)))))
        .withColumn("states", array_sort(array_distinct(ts)))
        .withColumn("touches", size(ts))
        .withColumn("days_to_conversion", when(col("converting"),
            unix_micros(col("anchor")).minus(unix_micros(col("_first"))).divide((double) Attribution.DAY_MICROS)))
        .drop("_t", "_first");
  }
}
