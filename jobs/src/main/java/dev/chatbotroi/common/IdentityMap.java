package dev.chatbotroi.common;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The identity map (docs/metrics.md#identity-map): anonymous_id → lead_id from the earliest event
 * (event_ts, event_id) that carries both; grain: one row per anonymous_id. Conversations, touches
 * and experiments all link visitors to leads through it.
 */
public final class IdentityMap {
  private IdentityMap() {}

  public static final String ANONYMOUS_ID = "mapped_anonymous_id";
  public static final String LEAD_ID = "mapped_lead_id";

  /** Built from all the events given (of all time); on one event user_id wins over properties.lead_id. */
  public static Dataset<Row> of(Dataset<Row> events) {
    Column lead = coalesce(col("user_id"), col("lead_id"));
    return events
        .where(col("anonymous_id").isNotNull().and(lead.isNotNull()))
        .groupBy(col("anonymous_id").as(ANONYMOUS_ID))
        .agg(min(struct(col("event_ts"), col("event_id"), lead.as("lead"))).getField("lead").as(LEAD_ID));
  }
}
