package dev.chatbotroi.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import dev.chatbotroi.common.EventsTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** De-duplicates valid events (docs/ingest.md): by event_id, then purchases by order_id, within and across runs. */
public final class Dedup {
  private Dedup() {}

  /**
   * Keeps, per event_id, the copy with the smallest (source_file, line_number), drops ids already
   * stored, then keeps per order_id the earliest (event_ts, event_id) purchase not already stored.
   */
  public static Dataset<Row> events(Dataset<Row> valid, Dataset<Row> stored) {
    Dataset<Row> firstCopy = valid
        .withColumn("_rn", row_number().over(Window.partitionBy(EventsTable.EVENT_ID)
            .orderBy(col(LineReader.SOURCE_FILE), col(LineReader.LINE_NUMBER))))
        .where(col("_rn").equalTo(1))
        .drop("_rn");
    Dataset<Row> storedIds = stored.select(col(EventsTable.EVENT_ID).as("_stored_id"));
    Dataset<Row> unseen = firstCopy.join(storedIds,
        firstCopy.col(EventsTable.EVENT_ID).equalTo(storedIds.col("_stored_id")), "left_anti");
    return purchases(unseen, stored);
  }

  static Dataset<Row> purchases(Dataset<Row> events, Dataset<Row> stored) {
    Column isPurchase = col(EventsTable.EVENT_NAME).equalTo("purchase_after_chat")
        .and(col(EventsTable.ORDER_ID).isNotNull());
    Dataset<Row> others = events.where(org.apache.spark.sql.functions.not(isPurchase));
    Dataset<Row> storedOrders = stored
        .where(col(EventsTable.EVENT_NAME).equalTo("purchase_after_chat")
            .and(col(EventsTable.ORDER_ID).isNotNull()))
        .select(col(EventsTable.ORDER_ID).as("_stored_order"));
    Dataset<Row> purchases = events.where(isPurchase)
        .withColumn("_rn", row_number().over(Window.partitionBy(EventsTable.ORDER_ID)
            .orderBy(col(EventsTable.EVENT_TS), col(EventsTable.EVENT_ID))))
        .where(col("_rn").equalTo(1))
        .drop("_rn");
    purchases = purchases.join(storedOrders,
        purchases.col(EventsTable.ORDER_ID).equalTo(storedOrders.col("_stored_order")), "left_anti");
    return others.unionByName(purchases);
  }
}
