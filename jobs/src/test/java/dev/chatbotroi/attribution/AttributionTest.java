package dev.chatbotroi.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.AttributionCreditsTable;
import dev.chatbotroi.common.DealsTable;
import dev.chatbotroi.common.LeadsTable;
import dev.chatbotroi.common.RevenueAttributionTable;
import dev.chatbotroi.common.RoiTable;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.testing.ConversationRows;
import dev.chatbotroi.testing.TestSpark;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The five models, windows, ties, anchors and links on hand-made deals; sums on random ones; ROI by hand. */
class AttributionTest {

  static final Instant ANCHOR = Instant.parse("2026-04-30T00:00:00Z");

  static final StructType TOUCHES = new StructType().add("touch_lead_id", "string").add("touch_id", "string")
      .add("touch_type", "string").add("touch_ts", "timestamp").add("channel", "string").add("flow", "string")
      .add("intent", "string").add("campaign", "string");
  static final StructType WON = new StructType().add("deal_id", "string").add("owner_lead_id", "string")
      .add("closed_at", "timestamp").add("anchor", "timestamp").add("amount", "decimal(38,6)")
      .add("gross_profit", "decimal(38,6)");

  static Row touch(String lead, String id, Duration before) {
    return touch(lead, id, "bot", ANCHOR.minus(before));
  }

  static Row touch(String lead, String id, String type, Instant at) {
    return RowFactory.create(lead, id, type, Timestamp.from(at), "web", "support", "pricing", "(none)");
  }

  static Row deal(String id, String lead, double amount) {
    Timestamp t = Timestamp.from(ANCHOR);
    return RowFactory.create(id, lead, t, t, BigDecimal.valueOf(amount), BigDecimal.valueOf(amount));
  }

  static Duration days(double d) {
    return Duration.ofMillis((long) (d * 86_400_000L));
  }

  static Map<String, Double> credits(List<Row> won, List<Row> touches, Settings settings) {
    var spark = TestSpark.session();
    Dataset<Row> c = Attribution.credits(spark.createDataFrame(won, WON), spark.createDataFrame(touches, TOUCHES),
        settings);
    Map<String, Double> out = new HashMap<>();
    for (Row r : Attribution.creditRows(c).collectAsList()) {
      out.put(r.getString(0) + "|" + r.getString(1) + "|" + r.getInt(2) + "|" + r.getString(3), r.getDouble(10));
    }
    return out;
  }

  static double decay(double ageDays) {
    return Math.pow(2, -ageDays / 7);
  }

  @Test
  void eachModelOnOneTwoThreeAndFiveTouches() {
    List<Row> touches = List.of(
        touch("A", "a1", days(1)),
        touch("B", "b1", days(10)), touch("B", "b2", days(2)),
        touch("C", "c1", days(20)), touch("C", "c2", days(10)), touch("C", "c3", days(5)),
        touch("E", "e1", days(25)), touch("E", "e2", days(20)), touch("E", "e3", days(15)), touch("E", "e4", days(10)),
        touch("E", "e5", days(5)));
    Map<String, Double> c = credits(List.of(deal("D1", "A", 100), deal("D2", "B", 100), deal("D3", "C", 100),
        deal("D5", "E", 100)), touches, TestSpark.settings());
    // one touch: every model gives it everything
    for (String m : List.of("first_touch", "last_touch", "linear", "position_based", "time_decay")) {
      assertEquals(1.0, c.get("D1|" + m + "|30|a1"), 1e-12, m);
    }
    // two touches (30-day window): b1 at −10 d, b2 at −2 d
    assertEquals(1.0, c.get("D2|first_touch|30|b1"));
    assertNull(c.get("D2|first_touch|30|b2"), "zero credits are not written");
    assertEquals(1.0, c.get("D2|last_touch|30|b2"));
    assertEquals(0.5, c.get("D2|linear|30|b1"), 1e-12);
    assertEquals(0.5, c.get("D2|position_based|30|b2"), 1e-12);
    double w1 = decay(10);
    double w2 = decay(2); // 2^(−age/7), normalised
    assertEquals(w1 / (w1 + w2), c.get("D2|time_decay|30|b1"), 1e-12);
    assertEquals(w2 / (w1 + w2), c.get("D2|time_decay|30|b2"), 1e-12);
    assertEquals(1.0, c.get("D2|linear|7|b2"), 1e-12, "only b2 is in the 7-day window");
    assertNull(c.get("D2|linear|7|b1"));
    // three touches: position-based 0.4 / 0.2 / 0.4, linear 1/3
    assertEquals(0.4, c.get("D3|position_based|30|c1"), 1e-12);
    assertEquals(0.2, c.get("D3|position_based|30|c2"), 1e-12);
    assertEquals(0.4, c.get("D3|position_based|30|c3"), 1e-12);
    assertEquals(1.0 / 3, c.get("D3|linear|30|c2"), 1e-12);
    double s3 = decay(20) + decay(10) + decay(5);
    assertEquals(decay(10) / s3, c.get("D3|time_decay|30|c2"), 1e-12);
    // five touches: 0.4, 0.2/3 × 3, 0.4; linear 0.2
    assertEquals(0.4, c.get("D5|position_based|30|e1"), 1e-12);
    assertEquals(0.2 / 3, c.get("D5|position_based|30|e3"), 1e-12);
    assertEquals(0.4, c.get("D5|position_based|30|e5"), 1e-12);
    assertEquals(0.2, c.get("D5|linear|90|e4"), 1e-12);
    assertEquals(1.0, c.get("D5|last_touch|7|e5"), 1e-12);
  }

  @Test
  void tiesWindowEdgesAndDealsWithoutTouches() {
    List<Row> touches = List.of(
        // same time: ordered by id, so f1 is first and f2 last
        touch("F", "f2", days(3)), touch("F", "f1", days(3)),
        // exactly 7 days before the anchor: inside; one second earlier: outside
        touch("G", "g-edge", days(7)), touch("G", "g-out", days(7).plusSeconds(1)));
    Map<String, Double> c = credits(List.of(deal("D6", "F", 10), deal("D7", "G", 10), deal("D8", "H", 10)),
        touches, TestSpark.settings());
    assertEquals(1.0, c.get("D6|first_touch|7|f1"));
    assertEquals(1.0, c.get("D6|last_touch|7|f2"));
    assertEquals(1.0, c.get("D7|linear|7|g-edge"), 1e-12);
    assertNull(c.get("D7|linear|7|g-out"));
    assertEquals(0.5, c.get("D7|linear|30|g-out"), 1e-12);
    assertFalse(c.keySet().stream().anyMatch(k -> k.startsWith("D8|")), "no touch: unattributed");
  }

  @Test
  void dealsLinkedByEmailAndTheCreatedAtAnchor() {
    var spark = TestSpark.session();
    Timestamp jan = Timestamp.from(Instant.parse("2026-01-01T00:00:00Z"));
    Timestamp feb = Timestamp.from(Instant.parse("2026-02-01T00:00:00Z"));
    Dataset<Row> leads = spark.createDataFrame(List.of(
        RowFactory.create("L-J", feb, "chatbot", "h1", null, null, null, null, null, "f", "r", jan),
        RowFactory.create("L-I", jan, "chatbot", "h1", null, null, null, null, null, "f", "r", jan)),
        LeadsTable.TABLE.schema());
    Timestamp created = Timestamp.from(Instant.parse("2026-04-01T00:00:00Z"));
    Timestamp closed = Timestamp.from(ANCHOR);
    Dataset<Row> deals = spark.createDataFrame(List.of(
        RowFactory.create("D9", null, "h1", created, closed, "closed_won", new BigDecimal("50"), null, "USD", "f", "r", jan),
        RowFactory.create("D10", "L-X", null, created, closed, "open", new BigDecimal("50"), null, "USD", "f", "r", jan)),
        DealsTable.TABLE.schema());
    List<Row> touches = List.of(touch("L-I", "i1", "bot", Instant.parse("2026-03-30T00:00:00Z")));
    Dataset<Row> t = spark.createDataFrame(touches, TOUCHES);

    Dataset<Row> won = Attribution.wonDeals(deals, leads, TestSpark.settings());
    List<Row> w = won.collectAsList();
    assertEquals(1, w.size(), "only closed-won deals");
    assertEquals("L-I", w.get(0).getAs("owner_lead_id"), "by e-mail: the earliest-created lead");
    assertEquals(0, new BigDecimal("50").compareTo(w.get(0).getAs("gross_profit")), "margin 1.0 by default");
    // closed_at anchor: the touch is 31 days before, so only the 90-day window sees it
    Map<String, Double> byClose = new HashMap<>();
    for (Row r : Attribution.creditRows(Attribution.credits(won, t, TestSpark.settings())).collectAsList()) {
      byClose.put(r.getString(1) + "|" + r.getInt(2), r.getDouble(10));
    }
    assertEquals(Map.of("first_touch|90", 1.0, "last_touch|90", 1.0, "linear|90", 1.0, "position_based|90", 1.0,
        "time_decay|90", 1.0, "markov|90", 1.0, "shapley|90", 1.0), byClose);
    // created_at anchor: two days before creation, inside every window
    Settings created1 = TestSpark.settings("attribution.anchor=created_at");
    Dataset<Row> wonCreated = Attribution.wonDeals(deals, leads, created1);
    List<Row> rows = Attribution.creditRows(Attribution.credits(wonCreated, t, created1)).collectAsList();
    assertEquals(21, rows.size(), "7 models × 3 windows");
    assertTrue(rows.stream().allMatch(r -> r.getTimestamp(13).equals(closed)), "closed_at stays the deal's period");
  }

  @Test
  void randomPeopleCreditsSumToOneAndRevenueReconciles() {
    Random rnd = new Random(20261129);
    List<Row> touches = new ArrayList<>();
    List<Row> won = new ArrayList<>();
    for (int p = 0; p < 60; p++) {
      String lead = "P" + p;
      int n = rnd.nextInt(9);
      for (int i = 0; i < n; i++) {
        Instant at = ANCHOR.minusSeconds((long) (rnd.nextDouble() * 140 * 86_400));
        touches.add(touch(lead, lead + "-t" + rnd.nextInt(5), rnd.nextBoolean() ? "bot" : "marketing", at));
      }
      int deals = rnd.nextInt(3);
      for (int d = 0; d < deals; d++) {
        Instant closed = ANCHOR.minusSeconds((long) (rnd.nextDouble() * 40 * 86_400));
        BigDecimal amount = BigDecimal.valueOf(rnd.nextInt(1_000_000), 2);
        won.add(RowFactory.create(lead + "-d" + d, lead, Timestamp.from(closed), Timestamp.from(closed), amount,
            amount));
      }
    }
    var spark = TestSpark.session();
    Dataset<Row> w = spark.createDataFrame(won, WON);
    Dataset<Row> credits = Attribution.credits(w, spark.createDataFrame(touches, TOUCHES), TestSpark.settings()).cache();
    for (Row r : credits.groupBy("deal_id", "model", "window_days")
        .agg(org.apache.spark.sql.functions.sum("credit")).collectAsList()) {
      assertEquals(1.0, r.getDouble(3), 1e-12, r.toString());
    }
    Dataset<Row> revenue = Attribution.revenue(credits, w, TestSpark.settings());
    assertEquals(RevenueAttributionTable.TABLE.schema().simpleString(), revenue.schema().simpleString());
    List<Row> totals = revenue.where("touch_type = '(all)' and channel = '(all)' and flow = '(all)' and intent = '(all)'")
        .collectAsList();
    assertFalse(totals.isEmpty());
    for (Row r : totals) {
      BigDecimal attributed = r.getAs("attributed_revenue");
      BigDecimal wonRevenue = r.getAs("won_revenue");
      BigDecimal unattributed = r.getAs("unattributed_revenue");
      // won = attributed + unattributed, to the cent, for every period, model and window
      assertEquals(0, wonRevenue.setScale(2, java.math.RoundingMode.HALF_UP)
          .compareTo(attributed.add(unattributed).setScale(2, java.math.RoundingMode.HALF_UP)), r.toString());
    }
    // attributed revenue over all touch types = revenue of the attributed deals, per model and window
    Dataset<Row> perDeal = credits.groupBy("deal_id", "model", "window_days")
        .agg(org.apache.spark.sql.functions.sum("attributed_revenue").as("attr"),
            org.apache.spark.sql.functions.first("amount").as("amount"));
    for (Row r : perDeal.collectAsList()) {
      assertEquals(0, ((BigDecimal) r.getAs("amount")).setScale(2, java.math.RoundingMode.HALF_UP)
          .compareTo(((BigDecimal) r.getAs("attr")).setScale(2, java.math.RoundingMode.HALF_UP)), r.toString());
    }
    credits.unpersist();
  }

  @Test
  void roiPercentWorkedOutByHand() {
    var spark = TestSpark.session();
    List<Row> convs = new ArrayList<>();
    for (int i = 0; i < 10; i++) { // April 2026: 10 engaged conversations, 4 of them deflected
      convs.add(ConversationRows.conv("r" + i, "web", "support", "order_status", ConversationRows.m("engaged", true,
          "deflected", i < 4, "period_date", java.sql.Date.valueOf("2026-04-10"))));
    }
    Dataset<Row> conversations = spark.createDataFrame(convs, dev.chatbotroi.common.ConversationsTable.TABLE.schema());
    Timestamp closed = Timestamp.from(ANCHOR);
    List<Row> won = List.<Row>of(RowFactory.create("D1", "L", closed, closed, new BigDecimal("1000"), new BigDecimal("400")));
    List<Row> touches = List.of(touch("L", "t-bot", "bot", ANCHOR.minus(days(3))),
        touch("L", "t-mkt", "marketing", ANCHOR.minus(days(5))));
    Dataset<Row> w = spark.createDataFrame(won, WON);
    Dataset<Row> credits = Attribution.credits(w, spark.createDataFrame(touches, TOUCHES), TestSpark.settings());
    Row april = Roi.compute(conversations, credits, w, TestSpark.settings()).first();
    // program cost = 99 platform + 0 maintenance + 0.15 × 10 engaged = 100.5
    // avoided labour = 4 deflected × 4.50 = 18; bot gross profit (linear, 30 d) = 400 × 1/2 = 200
    // roi = (18 + 200 − 100.5) / 100.5 × 100 = 116.915…
    assertEquals(RoiTable.TABLE.schema().simpleString(),
        Roi.compute(conversations, credits, w, TestSpark.settings()).schema().simpleString());
    // money is exact decimal: no 100.50000000000001
    assertEquals(new BigDecimal("100.500000"), april.getAs("program_cost"));
    assertEquals(new BigDecimal("18.000000"), april.getAs("avoided_labor_cost"));
    assertEquals(new BigDecimal("200.000000"), april.getAs("attributed_gross_profit"));
    assertEquals(new BigDecimal("-81.600000"), april.getAs("deflection_savings"), "18 − 4 × 0.15 − 99");
    assertEquals((18 + 200 - 100.5) / 100.5 * 100, april.<Double>getAs("roi_pct"), 1e-9);
    assertEquals(AttributionCreditsTable.TABLE.schema().simpleString(),
        Attribution.creditRows(credits).schema().simpleString());
  }

  @Test
  void attributedMoneyIsDecimalArithmeticNotDouble() {
    var spark = TestSpark.session();
    Timestamp closed = Timestamp.from(ANCHOR);
    // 21 significant digits: a double holds ~16, so amount × credit through a double loses the last ones
    // (as a double this amount is 123456789012345.671875)
    BigDecimal amount = new BigDecimal("123456789012345.678901");
    Dataset<Row> w = spark.createDataFrame(List.<Row>of(RowFactory.create("D1", "L", closed, closed, amount, amount)), WON);
    List<Row> touches = List.of(touch("L", "t1", "bot", ANCHOR.minus(days(1))), touch("L", "t2", "bot", ANCHOR.minus(days(2))),
        touch("L", "t3", "bot", ANCHOR.minus(days(4))), touch("L", "t4", "bot", ANCHOR.minus(days(5))));
    List<Row> linear = Attribution.creditRows(Attribution.credits(w, spark.createDataFrame(touches, TOUCHES),
            TestSpark.settings("attribution.models=[linear, first_touch]", "attribution.window-days=[30]",
                "attribution.roi-window-days=30")))
        .where("model = 'linear'").collectAsList();
    assertEquals(4, linear.size());
    for (Row r : linear) {
      assertEquals(new BigDecimal("30864197253086.419725"), r.getAs("attributed_revenue"), "a quarter, rounded half up");
    }
    Row first = Attribution.creditRows(Attribution.credits(w, spark.createDataFrame(touches, TOUCHES),
            TestSpark.settings("attribution.models=[linear, first_touch]", "attribution.window-days=[30]",
                "attribution.roi-window-days=30")))
        .where("model = 'first_touch'").first();
    assertEquals(amount, first.getAs("attributed_revenue"), "all of it, to the last digit");
  }
}
