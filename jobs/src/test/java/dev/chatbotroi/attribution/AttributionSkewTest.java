package dev.chatbotroi.attribution;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatbotroi.testing.TestSpark;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/**
 * Skew: one person with 10⁶ touches (one a minute for ~694 days) and three deals. The window is in
 * the join condition, so each deal meets only the touches of its last 90 days; this completes in
 * the test JVM's heap. Not a timed test: docs/benchmarks.md records the time.
 */
@org.junit.jupiter.api.Tag("pipeline")
class AttributionSkewTest {

  @Test
  void aMillionTouchesForOnePerson() {
    var spark = TestSpark.session();
    long anchor = Instant.parse("2026-04-30T00:00:00Z").getEpochSecond();
    Dataset<Row> touches = spark.range(1_000_000).select(lit("P").as("touch_lead_id"),
        col("id").cast("string").as("touch_id"), lit("marketing").as("touch_type"),
        timestamp_seconds(lit(anchor).minus(col("id").multiply(60))).as("touch_ts"),
        // 30 channels: more distinct states than attribution.shapley.max-states, so shapley falls back
        org.apache.spark.sql.functions.concat(lit("c"), col("id").mod(30).cast("string")).as("channel"),
        lit("(none)").as("flow"), lit("(none)").as("intent"), lit("(none)").as("campaign"));
    List<Row> won = List.of(deal("D1", anchor), deal("D2", anchor - 30 * 86_400L), deal("D3", anchor - 60 * 86_400L));
    long t0 = System.nanoTime();
    Dataset<Row> credits = Attribution.credits(spark.createDataFrame(won, AttributionTest.WON), touches,
        TestSpark.settings());
    // a million rows: run as the shipped job does (generated code), not as the small-lake tests do
    List<Row> sums = TestSpark.asShipped(() -> credits.groupBy("deal_id", "model", "window_days")
        .agg(sum("credit"), org.apache.spark.sql.functions.count("*")).collectAsList());
    assertEquals(3 * 7 * 3, sums.size(), "three deals, seven models, three windows");
    for (Row r : sums) {
      assertEquals(1.0, r.getDouble(3), 1e-9, r.toString());
      int w = r.getInt(2);
      // one touch a minute: W days hold W × 1440 + 1 touches (both ends inclusive)
      assertEquals(w * 1440L + 1, r.getLong(4), r.toString());
    }
    System.out.printf("attribution skew: 10^6 touches, 3 deals: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  static Row deal(String id, long epochSeconds) {
    Timestamp t = Timestamp.from(Instant.ofEpochSecond(epochSeconds));
    return RowFactory.create(id, "P", t, t, new BigDecimal("100"), new BigDecimal("100"));
  }
}
