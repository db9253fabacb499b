package dev.chatbotroi.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.LeadsTable;
import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.common.TicketsTable;
import dev.chatbotroi.testing.ConversationRows;
import dev.chatbotroi.testing.TestSpark;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric on a hand-made day (Monday 2026-03-02, UTC) of five conversations, thirty
 * impressions, four leads and three tickets; expected values are worked out in the comments.
 */
class MetricsTest {

  static Map<String, Row> rows;
  /** conversations, impressions, leads, tickets of the fixture. */
  static List<Dataset<Row>> inputs;

  @org.junit.jupiter.api.Test
  void aMetricAddedToTheCatalogueIsComputedWithNoOtherChange() {
    // one entry, written in this test only: handed-off conversations / conversations
    MetricCatalog.Metric extra = MetricCatalog.ratio("handed_off_share",
        MetricCatalog.conv(org.apache.spark.sql.functions.count_if(org.apache.spark.sql.functions.col("handed_off"))),
        MetricCatalog.conversations(), dev.chatbotroi.common.Segments.ALL_SETS, "a test's metric");
    List<MetricCatalog.Metric> catalogue = new java.util.ArrayList<>(MetricCatalog.ALL);
    catalogue.add(extra);
    Dataset<Row> c = inputs.get(0);
    List<Row> out = Metrics.compute(c, c.where(org.apache.spark.sql.functions.col("lead_captured")), inputs.get(1),
            inputs.get(2), inputs.get(3), TestSpark.settings(), catalogue)
        .where("metric = 'handed_off_share' AND period_grain = 'day' AND channel = '(all)' AND flow = '(all)'"
            + " AND intent = '(all)'").collectAsList();
    assertEquals(1, out.size());
    // c2 of the five conversations was handed off
    assertEquals(1.0, out.get(0).<Double>getAs("numerator"));
    assertEquals(5.0, out.get(0).<Double>getAs("denominator"));
    assertEquals(0.2, out.get(0).<Double>getAs("value"), 1e-12);
    assertNotNull(out.get(0).getAs("ci_low"), "a proportion gets its interval like any other");
  }

  static Row conv(String id, String channel, String flow, String intent, Map<String, Object> set) {
    return ConversationRows.conv(id, channel, flow, intent, set);
  }

  static Timestamp ts(String iso) {
    return ConversationRows.ts(iso);
  }

  static Map<String, Object> m(Object... kv) {
    return ConversationRows.m(kv);
  }

  @BeforeAll
  static void compute() {
    var spark = TestSpark.session();
    List<Row> convs = List.of(
        // c1 web/support/order_status: engaged, resolved, deflected, converted with 10.00 revenue, captured L1, csat 5
        conv("c1", "web", "support", "order_status", m("engaged", true, "user_turns", 3, "bot_turns", 4,
            "fallback_turns", 1, "first_useful_answer_seconds", 5.0, "resolved", true, "completed", true,
            "eligible", true, "deflected", true, "converted", true, "purchase_revenue", new BigDecimal("10.00"),
            "lead_captured", true, "captured_lead_ids", List.of("L1"), "csat_score", 5, "csat_positive", true,
            "outcome", "resolved", "duration_seconds", 60.0)),
        // c2 web/support/billing: engaged, handed off, csat 2
        conv("c2", "web", "support", "billing", m("engaged", true, "user_turns", 5, "bot_turns", 5,
            "first_useful_answer_seconds", 12.0, "handed_off", true, "csat_score", 2, "csat_positive", false,
            "outcome", "handed_off", "duration_seconds", 200.0)),
        // c3 messenger/booking/demo_request: engaged, goal completed, knowledge gap, csat 4, no useful answer
        conv("c3", "messenger", "booking", "demo_request", m("engaged", true, "user_turns", 2, "bot_turns", 2,
            "fallback_turns", 2, "goal_completed", true, "completed", true, "knowledge_gap", true,
            "csat_score", 4, "csat_positive", true, "outcome", "completed", "duration_seconds", 100.0)),
        // c4 messenger/support/order_status: eligible but never engaged
        conv("c4", "messenger", "support", "order_status", m("eligible", true)),
        // c5 web/support/order_status: engaged, resolved but ticketed (not deflected), 7 turns
        conv("c5", "web", "support", "order_status", m("engaged", true, "user_turns", 7, "bot_turns", 3,
            "first_useful_answer_seconds", 1.0, "resolved", true, "completed", true, "eligible", true,
            "outcome", "resolved", "duration_seconds", 30.0)));
    Dataset<Row> conversations = spark.createDataFrame(convs, ConversationsTable.TABLE.schema());

    StructType imprSchema = new StructType().add("event_ts", "timestamp").add("channel", "string");
    List<Row> impr = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      impr.add(RowFactory.create(ts("2026-03-02T09:00:00Z"), i < 20 ? "web" : "messenger"));
    }
    Dataset<Row> impressions = spark.createDataFrame(impr, imprSchema);

    Timestamp day = ts("2026-03-02T12:00:00Z");
    Dataset<Row> leads = spark.createDataFrame(List.of(
        // L1 chatbot, captured by c1, MQL → qualified
        RowFactory.create("L1", day, "chatbot", null, "mql", day, null, null, null, "f", "r", day),
        // L2 chatbot, no capturing conversation (counts in () rows only), qualified meeting
        RowFactory.create("L2", day, "chatbot", null, "new", null, null, day, true, "f", "r", day),
        // L3 form, SQL → qualified; L4 form, nothing
        RowFactory.create("L3", day, "form", null, "sql", null, day, null, null, "f", "r", day),
        RowFactory.create("L4", day, "form", null, "new", null, null, day, false, "f", "r", day)),
        LeadsTable.TABLE.schema());
    Dataset<Row> tickets = spark.createDataFrame(List.of(
        RowFactory.create("T1", day, "a", null, null, null, null, 5, "f", "r", day),
        RowFactory.create("T2", day, "b", null, null, null, null, 3, "f", "r", day),
        RowFactory.create("T3", day, "c", null, null, null, null, null, "f", "r", day)),
        TicketsTable.TABLE.schema());

    inputs = List.of(conversations, impressions, leads, tickets);
    Dataset<Row> metrics = Metrics.compute(conversations, conversations.where(org.apache.spark.sql.functions.col("lead_captured")), impressions, leads,
        tickets, TestSpark.settings());
    assertEquals(MetricsTable.TABLE.schema().simpleString(), metrics.schema().simpleString());
    rows = new HashMap<>();
    for (Row r : metrics.collectAsList()) {
      String key = r.getString(0) + "|" + r.getDate(1) + "|" + r.getString(2) + "|" + r.getString(3) + "|"
          + r.getString(4) + "|" + r.getString(5);
      assertNull(rows.put(key, r), "one row per period, segment and metric: " + key);
    }
  }

  static Row row(String grain, String segment, String metric) {
    String[] s = segment.split("/");
    return rows.get(grain + "|" + (grain.equals("month") ? "2026-03-01" : "2026-03-02") + "|" + s[0] + "|" + s[1]
        + "|" + s[2] + "|" + metric);
  }

  static final String ALL = "(all)/(all)/(all)";

  static void ratio(String metric, String segment, double num, double den) {
    for (String grain : List.of("day", "week", "month")) {
      Row r = row(grain, segment, metric);
      assertNotNull(r, grain + " " + segment + " " + metric);
      assertEquals(num, r.getDouble(6), 1e-12, metric + " numerator");
      assertEquals(den, r.getDouble(7), 1e-12, metric + " denominator");
      assertEquals(num / den, r.getDouble(8), 1e-12, metric + " value");
      // Wilson 95%: (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)
      double z = 1.96;
      double p = num / den;
      double c = (p + z * z / (2 * den)) / (1 + z * z / den);
      double h = z * Math.sqrt(p * (1 - p) / den + z * z / (4 * den * den)) / (1 + z * z / den);
      assertEquals(c - h, r.getDouble(9), 1e-12, metric + " ci_low");
      assertEquals(c + h, r.getDouble(10), 1e-12, metric + " ci_high");
    }
  }

  static void count(String metric, String segment, double value) {
    Row r = row("day", segment, metric);
    assertNotNull(r, segment + " " + metric);
    assertEquals(value, r.getDouble(6), 1e-9, metric + " numerator");
    assertTrue(r.isNullAt(7), "counts have no denominator");
    assertEquals(value, r.getDouble(8), 1e-9, metric + " value");
    assertTrue(r.isNullAt(9) && r.isNullAt(10), "no interval");
  }

  static void medianOf(String metric, String segment, double value, long n) {
    Row r = row("day", segment, metric);
    assertNotNull(r, segment + " " + metric);
    assertTrue(r.isNullAt(6), "medians have no numerator");
    assertEquals(n, r.getDouble(7));
    assertEquals(value, r.getDouble(8), 1e-12);
  }

  static void absent(String grain, String segment, String metric) {
    assertNull(row(grain, segment, metric), grain + " " + segment + " " + metric + " should not be written");
  }

  @Test
  void counts() {
    count("conversations", ALL, 5);
    count("engaged_conversations", ALL, 4);
    count("impressions", ALL, 30);
    count("impressions", "web/(all)/(all)", 20);
    count("conversations", "messenger/support/order_status", 1);
    count("engaged_conversations", "messenger/support/order_status", 0); // written: the segment has conversations
    count("purchase_revenue_after_chat", ALL, 10.0);
    count("purchase_revenue_after_chat", "messenger/(all)/(all)", 0.0);
    absent("day", "(all)/support/(all)", "impressions"); // impressions: () and (channel) only
  }

  @Test
  void proportions() {
    ratio("engagement_rate", ALL, 4, 30);             // engaged c1 c2 c3 c5 / 30 impressions
    ratio("engagement_rate", "web/(all)/(all)", 3, 20);
    ratio("goal_completion_rate", ALL, 1, 5);         // c3
    ratio("deflection_rate", ALL, 1, 3);              // c1 of eligible c1 c4 c5
    ratio("resolution_rate", ALL, 2, 4);              // c1 c5 of engaged
    ratio("fallback_rate", ALL, 3, 14);               // fallbacks 1+0+2+0+0 / bot turns 4+5+2+0+3
    ratio("fallback_session_rate", ALL, 2, 4);        // c1 c3
    ratio("handoff_rate", ALL, 1, 4);                 // c2
    ratio("conversion_rate", ALL, 1, 4);              // c1
    ratio("chat_to_lead_rate", ALL, 1, 4);            // c1
    ratio("csat", ALL, 2, 3);                         // c1 (5) c3 (4) positive of c1 c2 c3
    ratio("csat_resolved", ALL, 1, 1);                // c1
    ratio("csat_handed_off", ALL, 0, 1);              // c2
    ratio("csat_completed", ALL, 1, 1);               // c3
    ratio("knowledge_gap_rate", ALL, 1, 4);           // c3
    ratio("lead_quality_rate", ALL, 1, 2);            // L1 of chatbot leads L1 L2
    ratio("lead_quality_rate", "web/support/order_status", 1, 1); // L1 via its capturing conversation c1
    ratio("qualified_booking_rate", ALL, 1, 2);       // L2
    ratio("lead_quality_rate_form", ALL, 1, 2);       // L3 of L3 L4
    ratio("qualified_booking_rate_form", ALL, 0, 2);  // L4's meeting is not qualified
    ratio("csat_human", ALL, 1, 2);                   // T1 (5) of scored T1 T2
  }

  @Test
  void segmentsAreComputedFromTheirOwnRows() {
    // web: engaged c1 c2 c5, resolved c1 c5 → 2/3; messenger: engaged c3, none resolved → 0/1.
    ratio("resolution_rate", "web/(all)/(all)", 2, 3);
    ratio("resolution_rate", "messenger/(all)/(all)", 0, 1);
    // (all) is 2/4 = 0.5 from raw rows; averaging the channels would give (2/3 + 0) / 2 = 1/3
    assertEquals(0.5, row("day", ALL, "resolution_rate").getDouble(8), 1e-12);
    ratio("deflection_rate", "(all)/support/order_status", 1, 3); // c1 of c1 c4 c5
    ratio("handoff_rate", "(all)/support/(all)", 1, 3);
  }

  @Test
  void mediansAreExact() {
    medianOf("median_turns", ALL, 3.0, 3);            // completed c1 c3 c5: 2 3 7 → 3 (odd n)
    medianOf("median_turns", "web/(all)/(all)", 5.0, 2); // c1 c5: 3 7 → (3 + 7) / 2 (even n)
    medianOf("median_duration_seconds", ALL, 60.0, 3); // 30 60 100
    medianOf("median_first_useful_answer_seconds", ALL, 5.0, 3); // 1 5 12
    absent("day", "messenger/(all)/(all)", "median_first_useful_answer_seconds"); // c3 had no useful answer
  }

  @Test
  void costs() {
    // day: platform 99 / 31 days of March + 0.15 × 4 engaged = 3.193548… + 0.6
    double dayCost = 99.0 / 31 + 0.15 * 4;
    Row cpi = row("day", ALL, "cost_per_interaction");
    assertEquals(dayCost, cpi.getDouble(6), 1e-9);
    assertEquals(4, cpi.getDouble(7));
    assertEquals(dayCost / 4, cpi.getDouble(8), 1e-9);
    assertTrue(cpi.isNullAt(9), "cost ratios have no interval");
    assertEquals(dayCost / 2, row("day", ALL, "cost_per_resolution").getDouble(8), 1e-9); // resolved c1 c5
    // week of Monday 2 March: all seven days charged; month: all 31 days
    assertEquals(7 * 99.0 / 31 + 0.6, row("week", ALL, "cost_per_interaction").getDouble(6), 1e-9);
    assertEquals(99.0 + 0.6, row("month", ALL, "cost_per_interaction").getDouble(6), 1e-9);
    // savings: 1 deflected × 4.50 − 1 × 0.15 − 99 / 31
    Row savings = row("day", ALL, "deflection_savings");
    assertEquals(4.50 - 0.15 - 99.0 / 31, savings.getDouble(8), 1e-9);
    absent("day", "web/(all)/(all)", "cost_per_interaction");
    absent("day", "web/(all)/(all)", "deflection_savings");
  }

  @Test
  void emptyPopulationsAreAbsent() {
    absent("day", ALL, "csat_abandoned");             // no abandoned conversation answered
    absent("day", "messenger/(all)/(all)", "csat_resolved");
    absent("day", "(all)/booking/(all)", "deflection_rate"); // no eligible booking conversation
    absent("day", "web/(all)/(all)", "lead_quality_rate_form"); // form baselines: () only
    absent("day", "web/(all)/(all)", "csat_human");
    assertFalse(rows.keySet().stream().anyMatch(k -> k.contains("|2026-03-03|")), "no rows for days without data");
  }
}
