package dev.chatbotroi.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.ChannelRoiTable;
import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.SpendTable;
import dev.chatbotroi.testing.ConversationRows;
import dev.chatbotroi.testing.TestSpark;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** `channel_roi` worked out by hand for one month (docs/attribution.md#channel-roi), and without a spend file. */
class ChannelRoiTest {

  static final Settings SETTINGS = TestSpark.settings("attribution.models=[linear, first_touch]",
      "attribution.window-days=[30]", "attribution.roi-window-days=30");
  static final Instant D1_CLOSED = Instant.parse("2026-04-30T00:00:00Z");
  static final Instant D2_CLOSED = Instant.parse("2026-04-20T00:00:00Z");

  static Row touch(String lead, String id, String type, String channel, Instant closed, int daysBefore) {
    return RowFactory.create(lead, id, type, Timestamp.from(closed.minus(Duration.ofDays(daysBefore))), channel,
        "(none)", "(none)", "(none)");
  }

  static Row won(String id, String lead, Instant closed, String amount, String grossProfit) {
    Timestamp t = Timestamp.from(closed);
    return RowFactory.create(id, lead, t, t, new BigDecimal(amount), new BigDecimal(grossProfit));
  }

  static Row spendRow(String date, String channel, String campaign, String amount) {
    return RowFactory.create(Date.valueOf(date), channel, campaign, new BigDecimal(amount), "USD", "f", "r",
        Timestamp.from(D1_CLOSED));
  }

  /** April 2026: 10 engaged conversations, so program cost = 99 + 0 + 0.15 × 10 = 100.50. */
  static Dataset<Row> aprilConversations() {
    List<Row> convs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      convs.add(ConversationRows.conv("c" + i, "web", "support", "order_status",
          ConversationRows.m("engaged", true, "period_date", Date.valueOf("2026-04-10"))));
    }
    return TestSpark.session().createDataFrame(convs, ConversationsTable.TABLE.schema());
  }

  /** month|model|touch_type|channel → the row. */
  static Map<String, Row> channelRoi(List<Row> won, List<Row> touches, List<Row> spend, Dataset<Row> conversations,
      Settings settings) {
    var spark = TestSpark.session();
    Dataset<Row> w = spark.createDataFrame(won, AttributionTest.WON);
    Dataset<Row> credits = Attribution.credits(w, spark.createDataFrame(touches, AttributionTest.TOUCHES), settings);
    Dataset<Row> out = ChannelRoi.compute(credits, w, conversations,
        spark.createDataFrame(spend, SpendTable.TABLE.schema()), settings);
    assertEquals(ChannelRoiTable.TABLE.schema().simpleString(), out.schema().simpleString());
    Map<String, Row> byKey = new TreeMap<>();
    for (Row r : out.collectAsList()) {
      assertEquals("month", r.getAs("period_grain"));
      assertEquals(30, (int) r.<Integer>getAs("window_days"));
      Row before = byKey.put(r.getAs("period_start").toString().substring(0, 7) + "|" + r.getAs("model") + "|"
          + r.getAs("touch_type") + "|" + r.getAs("channel"), r);
      assertNull(before, "one row per key");
    }
    return byKey;
  }

  /**
   * D1 (1,000.00, gross profit 400.00, closed 30 April): paid_search 10 days before, form 7, email 5, bot 3.
   * D2 (600.00, gross profit 300.00, closed 20 April): email 2 days before.
   */
  static final List<Row> WON = List.of(won("D1", "L", D1_CLOSED, "1000", "400"), won("D2", "K", D2_CLOSED, "600", "300"));
  static final List<Row> TOUCHES = List.of(
      touch("L", "m-ps", "marketing", "paid_search", D1_CLOSED, 10),
      touch("L", "m-form", "marketing", "form", D1_CLOSED, 7),
      touch("L", "m-email", "marketing", "email", D1_CLOSED, 5),
      touch("L", "t-bot", "bot", "web", D1_CLOSED, 3),
      touch("K", "m-email2", "marketing", "email", D2_CLOSED, 2));

  static void check(Row r, String spend, double credited, String revenue, String profit, Double roas,
      Double costPerWonDeal, Double roiPct) {
    assertEquals(0, new BigDecimal(spend).compareTo(r.getAs("spend")), "spend " + r);
    assertEquals(credited, r.<Double>getAs("credited_deals"), 1e-12, "credited_deals " + r);
    assertEquals(0, new BigDecimal(revenue).compareTo(r.getAs("attributed_revenue")), "attributed_revenue " + r);
    assertEquals(0, new BigDecimal(profit).compareTo(r.getAs("attributed_gross_profit")), "gross profit " + r);
    assertNullable(roas, r.getAs("roas"), "roas " + r);
    assertNullable(costPerWonDeal, r.getAs("cost_per_won_deal"), "cost_per_won_deal " + r);
    assertNullable(roiPct, r.getAs("roi_pct"), "roi_pct " + r);
  }

  static void assertNullable(Double expected, Double actual, String what) {
    if (expected == null) {
      assertNull(actual, what);
    } else {
      assertEquals(expected, actual, 1e-9, what);
    }
  }

  @Test
  void oneMonthByHand() {
    List<Row> spend = List.of(
        spendRow("2026-04-01", "email", "newsletter", "100"), spendRow("2026-04-15", "email", "(none)", "50"),
        spendRow("2026-04-02", "social", "promo", "80"),
        // the last day of March is March's spend
        spendRow("2026-03-31", "email", "newsletter", "999"));
    Map<String, Row> r = channelRoi(WON, TOUCHES, spend, aprilConversations(), SETTINGS);
    assertEquals(List.of(
        "2026-03|first_touch|marketing|email", "2026-03|linear|marketing|email",
        "2026-04|first_touch|bot|(all)", "2026-04|first_touch|marketing|email",
        "2026-04|first_touch|marketing|paid_search", "2026-04|first_touch|marketing|social",
        "2026-04|linear|bot|(all)", "2026-04|linear|marketing|email", "2026-04|linear|marketing|form",
        "2026-04|linear|marketing|paid_search", "2026-04|linear|marketing|social"), List.copyOf(r.keySet()),
        "no bot row in March (roi has no March); form has no first_touch credit and no spend, so no row there");

    // linear: each touch of D1 gets ¼; D2's one touch gets all of it
    // email: spend 100 + 50; credits ¼ + 1; revenue 250 + 600; gross profit 100 + 300
    check(r.get("2026-04|linear|marketing|email"), "150", 1.25, "850", "400",
        850 / 150.0, 150 / 1.25, (400 - 150) / 150.0 * 100);
    // credits and no spend: spend 0, so roas and roi_pct are empty, and the cost per won deal is 0
    check(r.get("2026-04|linear|marketing|paid_search"), "0", 0.25, "250", "100", null, 0.0, null);
    check(r.get("2026-04|linear|marketing|form"), "0", 0.25, "250", "100", null, 0.0, null);
    // spend and no credits: no cost per won deal, roas 0, all of the spend lost
    check(r.get("2026-04|linear|marketing|social"), "80", 0, "0", "0", 0.0, null, -100.0);
    // the bot: spend = April's program cost 100.50 (as roi has it)
    check(r.get("2026-04|linear|bot|(all)"), "100.5", 0.25, "250", "100",
        250 / 100.5, 100.5 / 0.25, (100 - 100.5) / 100.5 * 100);

    // first_touch: D1 all to paid_search, D2 all to email; the bot is credited nothing
    check(r.get("2026-04|first_touch|marketing|email"), "150", 1, "600", "300", 4.0, 150.0, 100.0);
    check(r.get("2026-04|first_touch|marketing|paid_search"), "0", 1, "1000", "400", null, 0.0, null);
    check(r.get("2026-04|first_touch|marketing|social"), "80", 0, "0", "0", 0.0, null, -100.0);
    check(r.get("2026-04|first_touch|bot|(all)"), "100.5", 0, "0", "0", 0.0, null, -100.0);
    check(r.get("2026-03|linear|marketing|email"), "999", 0, "0", "0", 0.0, null, -100.0);
  }

  @Test
  void withoutASpendFileMarketingRowsHaveSpendZeroAndTheBotItsRows() {
    Map<String, Row> r = channelRoi(WON, TOUCHES, List.of(), aprilConversations(), SETTINGS);
    assertEquals(List.of("2026-04|first_touch|bot|(all)", "2026-04|first_touch|marketing|email",
        "2026-04|first_touch|marketing|paid_search", "2026-04|linear|bot|(all)", "2026-04|linear|marketing|email",
        "2026-04|linear|marketing|form", "2026-04|linear|marketing|paid_search"), List.copyOf(r.keySet()),
        "marketing rows only for channels with credits");
    check(r.get("2026-04|linear|marketing|email"), "0", 1.25, "850", "400", null, 0.0, null);
    check(r.get("2026-04|linear|bot|(all)"), "100.5", 0.25, "250", "100",
        250 / 100.5, 100.5 / 0.25, (100 - 100.5) / 100.5 * 100);

    // no spend file and no marketing touches: only the bot's rows, one per month roi has, model and window
    List<Row> botOnly = List.of(touch("L", "t-bot", "bot", "web", D1_CLOSED, 3));
    Map<String, Row> bot = channelRoi(List.of(WON.get(0)), botOnly, List.of(), aprilConversations(), SETTINGS);
    assertEquals(List.of("2026-04|first_touch|bot|(all)", "2026-04|linear|bot|(all)"), List.copyOf(bot.keySet()));
    check(bot.get("2026-04|linear|bot|(all)"), "100.5", 1, "1000", "400", 1000 / 100.5, 100.5,
        (400 - 100.5) / 100.5 * 100);
  }

  @Test
  void theMonthIsTheReportingZoneMonthOfClosedAtAndTheSpendDate() {
    Settings newYork = TestSpark.settings("attribution.models=[linear]", "attribution.window-days=[30]",
        "attribution.roi-window-days=30", "reporting.timezone=\"America/New_York\"");
    // 1 May 02:00 UTC is 30 April 22:00 in New York: an April deal
    Instant closed = Instant.parse("2026-05-01T02:00:00Z");
    Map<String, Row> r = channelRoi(List.of(won("D3", "M", closed, "500", "200")),
        List.of(touch("M", "m1", "marketing", "email", closed, 1)),
        List.of(spendRow("2026-05-01", "email", "(none)", "40")), aprilConversations().limit(0), newYork);
    assertTrue(r.containsKey("2026-04|linear|bot|(all)"), "roi has April: a deal closed in it " + r.keySet());
    check(r.get("2026-04|linear|marketing|email"), "0", 1, "500", "200", null, 0.0, null);
    check(r.get("2026-05|linear|marketing|email"), "40", 0, "0", "0", 0.0, null, -100.0);
    // April without conversations: the monthly fees alone
    check(r.get("2026-04|linear|bot|(all)"), "99", 0, "0", "0", 0.0, null, -100.0);
  }
}
