package dev.chatbotroi.experiments;

import static dev.chatbotroi.testing.ConversationRows.conv;
import static dev.chatbotroi.testing.ConversationRows.m;
import static dev.chatbotroi.testing.ConversationRows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.DealsTable;
import dev.chatbotroi.common.ExperimentsTable;
import dev.chatbotroi.common.IdentityMap;
import dev.chatbotroi.common.LeadsTable;
import dev.chatbotroi.common.TicketsTable;
import dev.chatbotroi.testing.Events;
import dev.chatbotroi.testing.TestSpark;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The experiments table from hand-made assignments, leads, deals, tickets and conversations, checked by hand. */
class ExperimentsTest {
  private static final long T0 = ts("2026-04-01T10:00:00Z").getTime();
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final double FOUR_DECIMALS = 5e-5;

  private static final List<String> events = new ArrayList<>();
  private static final List<Row> leads = new ArrayList<>();
  private static final List<Row> deals = new ArrayList<>();
  private static final List<Row> tickets = new ArrayList<>();
  private static final List<Row> conversations = new ArrayList<>();
  /** experiment/variant/metric → row. */
  private static final Map<String, Row> rows = new HashMap<>();
  private static List<Row> all;

  @BeforeAll
  static void buildTheTable() {
    // Newcombe's examples as lead rates: 56/70 vs 48/80 and 9/10 vs 3/10
    arm("newcombe_a", "bot", 70, 56, 20);
    arm("newcombe_a", "holdout", 80, 48, 0);
    arm("newcombe_b", "bot", 10, 9, 0);
    arm("newcombe_b", "holdout", 10, 3, 0);
    // two control variants pooled: 1/2 and 0/2 → 1/4
    arm("pooled", "bot", 4, 3, 0);
    arm("pooled", "holdout", 2, 1, 0);
    arm("pooled", "control", 2, 0, 0);
    // bot unit 0: two engaged conversations in the window (once); unit 1: one a second before its
    // assignment; unit 2: one not engaged
    conversations.add(conv("c-p0a", "web", "support", "x", m("anonymous_id", "a-pooled-bot-0", "engaged", true,
        "start_ts", at(T0 + HOUR))));
    conversations.add(conv("c-p0b", "web", "support", "x", m("anonymous_id", "a-pooled-bot-0", "engaged", true,
        "start_ts", at(T0 + 2 * DAY))));
    conversations.add(conv("c-p1", "web", "support", "x", m("anonymous_id", "a-pooled-bot-1", "engaged", true,
        "start_ts", at(T0 - 1000))));
    conversations.add(conv("c-p2", "web", "support", "x", m("anonymous_id", "a-pooled-bot-2", "engaged", false,
        "start_ts", at(T0 + HOUR))));
    arm("no_control", "a", 2, 1, 0);
    arm("no_control", "b", 1, 1, 0);
    edges();
    welch();

    Dataset<Row> ev = Events.of(TestSpark.settings(), events);
    var spark = TestSpark.session();
    all = ExperimentsStage.table(Experiments.units(ev), IdentityMap.of(ev),
        spark.createDataFrame(conversations, ConversationsTable.TABLE.schema()),
        spark.createDataFrame(leads, LeadsTable.TABLE.schema()), spark.createDataFrame(deals, DealsTable.TABLE.schema()),
        spark.createDataFrame(tickets, TicketsTable.TABLE.schema()), TestSpark.settings()).collectAsList();
    for (Row r : all) {
      rows.put(r.getAs("experiment") + "/" + r.getAs("variant") + "/" + r.getAs("metric"), r);
    }
  }

  /** {@code n} units assigned at T0 by anonymous_id and user_id; the first {@code withLead} get a lead an hour later. */
  private static void arm(String experiment, String variant, int n, int withLead, int qualified) {
    for (int i = 0; i < n; i++) {
      String unit = experiment + "-" + variant + "-" + i;
      events.add(assigned("x-" + unit, "a-" + unit, "L-" + unit, experiment, variant, T0));
      if (i < withLead) {
        // qualified months later: still a qualified lead, whenever the qualification came
        leads.add(lead("L-" + unit, T0 + HOUR, i < qualified ? T0 + 60 * DAY : null));
      }
    }
  }

  /** Reassignment, a lead through the identity map only, the window's end, a unit known only by user_id. */
  private static void edges() {
    events.add(assigned("x-r1", "a-r", null, "edges", "bot", T0));
    events.add(assigned("x-r2", "a-r", null, "edges", " HoldOut", T0 + HOUR));
    events.add(assigned("x-r3", "a-r", null, "edges", "bot", T0 + 2 * HOUR));
    tickets.add(ticket("T-r", T0 + 3 * DAY, "a-r", null));

    events.add(assigned("x-id", "a-id", null, "edges", "holdout", T0));
    events.add("{\"event_id\":\"t-id\",\"event_name\":\"marketing_touch\",\"event_ts\":\"" + iso(T0 + 2 * DAY)
        + "\",\"anonymous_id\":\"a-id\",\"user_id\":\"L-id\",\"channel\":\"web\",\"properties\":{\"touch_channel\":\"form\"}}");
    leads.add(lead("L-id", T0 + 2 * DAY, null));

    events.add(assigned("x-w", "a-w", "L-w", "edges", "bot", T0));
    long end = T0 + 30 * DAY;
    deals.add(deal("D-end", "L-w", end, "closed_won", "100", "40"));
    deals.add(deal("D-late", "L-w", end + 1000, "closed_won", "1000", null));
    deals.add(deal("D-lost", "L-w", T0 + DAY, "closed_lost", "500", null));

    events.add(assigned("x-u", null, "L-u", "edges", "bot", T0 + DAY));
    conversations.add(conv("c-u", "web", "support", "x", m("anonymous_id", "a-u", "lead_id", "L-u", "engaged", true,
        "start_ts", at(T0 + DAY + HOUR))));
    tickets.add(ticket("T-u", T0 + 2 * DAY, null, "L-u"));
  }

  /** Won revenue per unit: bot [100, 0, 50], holdout [0, 20]; gross profit bot [30, 0, 50], holdout [0, 20]. */
  private static void welch() {
    for (int i = 0; i < 3; i++) {
      events.add(assigned("x-wb" + i, "a-wb" + i, "L-wb" + i, "welch", "bot", T0));
    }
    for (int i = 0; i < 2; i++) {
      events.add(assigned("x-wh" + i, "a-wh" + i, "L-wh" + i, "welch", "holdout", T0));
    }
    deals.add(deal("D-wb0", "L-wb0", T0 + 5 * DAY, "closed_won", "100", "30"));
    deals.add(deal("D-wb2", "L-wb2", T0 + 6 * DAY, "closed_won", "50", null));
    deals.add(deal("D-wh1", "L-wh1", T0 + 7 * DAY, "closed_won", "20", null));
  }

  @Test
  void newcombesIntervalOfTheLeadRateLift() {
    Row a = rows.get("newcombe_a/bot/lead_rate");
    assertEquals(0.8, a.<Double>getAs("value"), 1e-12);
    assertEquals(0.6, a.<Double>getAs("control_value"), 1e-12);
    assertEquals(0.2000, a.<Double>getAs("lift"), FOUR_DECIMALS);
    assertEquals(0.0524, a.<Double>getAs("lift_ci_low"), FOUR_DECIMALS);
    assertEquals(0.3339, a.<Double>getAs("lift_ci_high"), FOUR_DECIMALS);
    assertEquals(0.2 / 0.6, a.<Double>getAs("relative_lift"), 1e-12);
    assertEquals(14.0, a.<Double>getAs("incremental"), 1e-9, "0.2 × 70 units: 14 leads caused");
    assertEquals(0, new BigDecimal(56).compareTo(a.getAs("numerator")));
    Row b = rows.get("newcombe_b/bot/lead_rate");
    assertEquals(0.6000, b.<Double>getAs("lift"), FOUR_DECIMALS);
    assertEquals(0.1705, b.<Double>getAs("lift_ci_low"), FOUR_DECIMALS);
    assertEquals(0.8090, b.<Double>getAs("lift_ci_high"), FOUR_DECIMALS);
    // qualified whenever: 20 of the 56 leads were qualified two months later
    assertEquals(0, new BigDecimal(20).compareTo(rows.get("newcombe_a/bot/qualified_lead_rate").getAs("numerator")));
  }

  @Test
  void welchsIntervalOfRevenuePerUnit() {
    Row r = rows.get("welch/bot/revenue_per_unit");
    assertEquals(0, new BigDecimal(150).compareTo(r.getAs("numerator")));
    assertEquals(50.0, r.<Double>getAs("value"), 1e-9);
    assertEquals(10.0, r.<Double>getAs("control_value"), 1e-9);
    // s² bot = (50² + 50² + 0²) / 2 = 2500, holdout = (10² + 10²) / 1 = 200
    // 40 ∓ 1.96 √(2500/3 + 200/2) = 40 ∓ 1.96 × 30.550505 = 40 ∓ 59.878990
    assertEquals(40.0, r.<Double>getAs("lift"), 1e-9);
    assertEquals(40 - 59.878990, r.<Double>getAs("lift_ci_low"), 1e-5);
    assertEquals(40 + 59.878990, r.<Double>getAs("lift_ci_high"), 1e-5);
    assertEquals(120.0, r.<Double>getAs("incremental"), 1e-9, "40 × 3 units of revenue caused");
    // gross profit: 30 as delivered, 50 at the default margin of 1.0
    Row g = rows.get("welch/bot/gross_profit_per_unit");
    assertEquals(80.0 / 3, g.<Double>getAs("value"), 1e-9);
    double s2 = (Math.pow(30 - 80.0 / 3, 2) + Math.pow(80.0 / 3, 2) + Math.pow(50 - 80.0 / 3, 2)) / 2;
    double half = 1.96 * Math.sqrt(s2 / 3 + 200.0 / 2);
    assertEquals(80.0 / 3 - 10 - half, g.<Double>getAs("lift_ci_low"), 1e-9);
    Row won = rows.get("welch/bot/won_rate");
    assertEquals(2.0 / 3, won.<Double>getAs("value"), 1e-12);
    assertEquals(0.5, won.<Double>getAs("control_value"), 1e-12);
  }

  @Test
  void controlsArePooledAndControlRowsCarryNoLift() {
    Row bot = rows.get("pooled/bot/lead_rate");
    assertEquals(0.75, bot.<Double>getAs("value"), 1e-12);
    assertEquals(0.25, bot.<Double>getAs("control_value"), 1e-12);
    assertEquals(0.5, bot.<Double>getAs("lift"), 1e-12);
    assertEquals(false, bot.getAs("is_control"));
    for (String variant : List.of("holdout", "control")) {
      Row c = rows.get("pooled/" + variant + "/lead_rate");
      assertEquals(true, c.getAs("is_control"), variant);
      assertEquals(0.25, c.<Double>getAs("control_value"), 1e-12);
      assertEquals(variant.equals("holdout") ? 0.5 : 0.0, c.<Double>getAs("value"), 1e-12);
      for (String empty : List.of("lift", "lift_ci_low", "lift_ci_high", "relative_lift", "incremental")) {
        assertNull(c.getAs(empty), variant + " " + empty);
      }
    }
    // two engaged conversations count once; one before the assignment and one not engaged not at all
    assertEquals(0, BigDecimal.ONE.compareTo(rows.get("pooled/bot/engaged_rate").getAs("numerator")));
    assertNull(rows.get("pooled/bot/ticket_rate").getAs("relative_lift"), "control value 0: no relative lift");
  }

  @Test
  void anExperimentWithoutAControlHasNoLift() {
    Row a = rows.get("no_control/a/lead_rate");
    assertEquals(0.5, a.<Double>getAs("value"), 1e-12);
    assertEquals(false, a.getAs("is_control"));
    for (String empty : List.of("control_value", "lift", "lift_ci_low", "lift_ci_high", "relative_lift", "incremental")) {
      assertNull(a.getAs(empty), empty);
    }
  }

  @Test
  void reassignmentIdentityWindowAndUserOnlyUnits() {
    Row bot = rows.get("edges/bot/lead_rate");
    // a-r (reassigned twice, counted in bot), a-w, and L-u known only by user_id
    assertEquals(3L, (long) bot.getAs("units"));
    assertEquals(2L, (long) bot.getAs("reassigned"));
    assertEquals(Date.valueOf("2026-04-01"), bot.getAs("first_assigned"));
    assertEquals(Date.valueOf("2026-04-02"), bot.getAs("last_assigned"));
    Row holdout = rows.get("edges/holdout/lead_rate");
    assertEquals(1L, (long) holdout.getAs("units"), "the reassignment to holdout is not a unit of holdout");
    assertEquals(0L, (long) holdout.getAs("reassigned"));
    assertEquals(1.0, holdout.<Double>getAs("value"), 1e-12, "its lead comes through the identity map only");
    // the deal closed exactly at the window's end counts, the one a second later does not
    Row won = rows.get("edges/bot/won_rate");
    assertEquals(0, BigDecimal.ONE.compareTo(won.getAs("numerator")));
    assertEquals(0, new BigDecimal(100).compareTo(rows.get("edges/bot/revenue_per_unit").getAs("numerator")));
    assertEquals(0, new BigDecimal(40).compareTo(rows.get("edges/bot/gross_profit_per_unit").getAs("numerator")));
    // L-u's lead had an engaged chat from another device: a unit known only by user_id is never engaged
    assertEquals(0, BigDecimal.ZERO.compareTo(rows.get("edges/bot/engaged_rate").getAs("numerator")));
    // tickets by anonymous_id (a-r) and by lead (L-u)
    assertEquals(0, new BigDecimal(2).compareTo(rows.get("edges/bot/ticket_rate").getAs("numerator")));
  }

  @Test
  void everyVariantHasEveryMetricInOrder() {
    List<String> keys = new ArrayList<>();
    for (Row r : all) {
      keys.add(r.getAs("experiment") + "/" + r.getAs("variant"));
    }
    assertEquals(13 * ExperimentsTable.METRICS.size(), all.size(), "13 variants × 7 metrics");
    for (int i = 0; i < all.size(); i++) {
      assertEquals(ExperimentsTable.METRICS.get(i % 7), all.get(i).getAs("metric"));
    }
    assertEquals("edges/bot", keys.get(0));
    assertTrue(keys.indexOf("welch/holdout") > keys.indexOf("welch/bot"));
  }

  // ------------------------------------------------------------------ fixtures

  private static String assigned(String id, String anon, String user, String experiment, String variant, long at) {
    return "{\"event_id\":\"" + id + "\",\"event_name\":\"experiment_assigned\",\"event_ts\":\"" + iso(at) + "\","
        + (anon == null ? "" : "\"anonymous_id\":\"" + anon + "\",")
        + (user == null ? "" : "\"user_id\":\"" + user + "\",")
        + "\"channel\":\"web\",\"properties\":{\"experiment\":\"" + experiment + "\",\"variant\":\"" + variant + "\"}}";
  }

  private static Row lead(String id, long created, Long mql) {
    return RowFactory.create(id, at(created), "form", null, "new", mql == null ? null : at(mql), null, null, null,
        "f", "r", at(0));
  }

  private static Row deal(String id, String lead, long closed, String stage, String amount, String grossProfit) {
    return RowFactory.create(id, lead, null, at(closed - DAY), at(closed), stage, new BigDecimal(amount),
        grossProfit == null ? null : new BigDecimal(grossProfit), "USD", "f", "r", at(0));
  }

  private static Row ticket(String id, long created, String anon, String lead) {
    return RowFactory.create(id, at(created), anon, lead, null, "billing", "email", null, "f", "r", at(0));
  }

  private static Timestamp at(long ms) {
    return new Timestamp(ms);
  }

  private static String iso(long ms) {
    return java.time.Instant.ofEpochMilli(ms).toString();
  }
}
