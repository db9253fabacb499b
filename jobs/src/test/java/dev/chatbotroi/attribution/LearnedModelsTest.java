package dev.chatbotroi.attribution;

import static dev.chatbotroi.attribution.AttributionTest.ANCHOR;
import static dev.chatbotroi.attribution.AttributionTest.TOUCHES;
import static dev.chatbotroi.attribution.AttributionTest.WON;
import static dev.chatbotroi.attribution.AttributionTest.days;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.AttributionPathsTable;
import dev.chatbotroi.common.AttributionStatesTable;
import dev.chatbotroi.common.Settings;
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
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * `markov` and `shapley` through Spark on a hand-worked warehouse (docs/attribution.md#markov-and-shapley):
 * journeys, credits, the two journey tables, the fallbacks, sums on random data and determinism.
 *
 * <p>The warehouse, window 30 days, anchor A = 2026-04-30:
 * <pre>
 *   P1 won D1 (100): bot:web A−3d, marketing:email A−2d, bot:web A−1d (and bot:web A−40d, outside)
 *   P3 won D3 (50):  marketing:email A−1d
 *   P2 lost L2 at A−5d: marketing:email A−10d (and bot:web A−2d, after its anchor: outside)
 *   P5 lost L5, no touch: no journey
 * </pre>
 * Journeys: J1 web > email > web (converts), J3 email (converts), J2 email (does not).
 *
 * <p>Markov. Transitions: (start)→web 1, (start)→email 2; web→email 1, web→(conv) 1; email→web 1,
 * email→(conv) 1, email→(null) 1. With x the probability of converting from a state:
 * x_web = ½ x_email + ½, x_email = ⅓ x_web + ⅓ → x_web = 4/5, x_email = 3/5; p = ⅓·4/5 + ⅔·3/5 = 2/3.
 * Without web: x_email = 1/3, p = ⅔·⅓ = 2/9, RE(web) = 1 − (2/9)/(2/3) = 2/3. Without email:
 * x_web = ½, p = ⅓·½ = 1/6, RE(email) = 1 − (1/6)/(2/3) = 3/4. Σ RE = 17/12: shares web 8/17,
 * email 9/17; D1's two web touches get 4/17 each, its email touch 9/17.
 *
 * <p>Shapley. r({web, email}) = 1/1 (J1), r({email}) = 1/2 (J3 of J2, J3), r({web}) = 0.
 * φ(web) = ½(r(web) − 0) + ½(r(both) − r(email)) = 1/4; φ(email) = ½(r(email) − 0) + ½(r(both) − r(web)) = 3/4.
 * D1: web touches 1/8 each, email 3/4. D3: email 1 under both models.
 */
class LearnedModelsTest {

  static final StructType LOST = new StructType().add("owner_lead_id", "string").add("anchor", "timestamp")
      .add("deal_id", "string");
  static final double EPS = 1e-12;

  static Settings settings(String... more) {
    List<String> s = new ArrayList<>(List.of("attribution.window-days=[30]", "attribution.roi-window-days=30"));
    s.addAll(List.of(more));
    return TestSpark.settings(s.toArray(new String[0]));
  }

  static Row touch(String lead, String id, String type, String channel, Duration before) {
    return RowFactory.create(lead, id, type, Timestamp.from(ANCHOR.minus(before)), channel, "(none)", "(none)",
        "(none)");
  }

  static Row won(String id, String lead, long amount) {
    Timestamp t = Timestamp.from(ANCHOR);
    return RowFactory.create(id, lead, t, t, BigDecimal.valueOf(amount), BigDecimal.valueOf(amount));
  }

  static final List<Row> TOUCH_ROWS = List.of(
      touch("P1", "p1a", "bot", "web", days(3)), touch("P1", "p1b", "marketing", "email", days(2)),
      touch("P1", "p1c", "bot", "web", days(1)), touch("P1", "p1old", "bot", "web", days(40)),
      touch("P3", "p3a", "marketing", "email", days(1)),
      touch("P2", "p2a", "marketing", "email", days(10)), touch("P2", "p2late", "bot", "web", days(2)));

  record Warehouse(Dataset<Row> won, Dataset<Row> lost, Dataset<Row> touches) {}

  static Warehouse warehouse() {
    var spark = TestSpark.session();
    return new Warehouse(spark.createDataFrame(List.of(won("D1", "P1", 100), won("D3", "P3", 50)), WON),
        spark.createDataFrame(List.of(
            RowFactory.create("P2", Timestamp.from(ANCHOR.minus(days(5))), "L2"),
            RowFactory.create("P5", Timestamp.from(ANCHOR.minus(days(5))), "L5")), LOST),
        spark.createDataFrame(TOUCH_ROWS, TOUCHES));
  }

  static Map<String, Double> credits(Warehouse w, Settings settings) {
    Dataset<Row> journeys = Journeys.of(w.won(), w.lost(), w.touches(), settings);
    LearnedShares.Fit fit = LearnedShares.fit(journeys, settings);
    Map<String, Double> out = new HashMap<>();
    for (Row r : Attribution.creditRows(Attribution.credits(w.won(), w.touches(), fit.shares(), settings))
        .where(col("model").isin("markov", "shapley")).collectAsList()) {
      out.put(r.getString(0) + "|" + r.getString(1) + "|" + r.getString(3), r.getDouble(10));
    }
    return out;
  }

  @Test
  void journeysTakeTheirWindowAndSkipBuyersAndPeopleWithoutTouches() {
    Warehouse w = warehouse();
    List<Row> journeys = Journeys.of(w.won(), w.lost(), w.touches(), settings())
        .orderBy("journey_id").collectAsList();
    assertEquals(List.of("D1", "D3", "P2"), journeys.stream().map(r -> r.<String>getAs("journey_id")).toList());
    Row d1 = journeys.get(0);
    assertEquals(List.of("bot:web", "marketing:email", "bot:web"), d1.getList(d1.fieldIndex("touch_states")));
    assertEquals(List.of("bot:web", "marketing:email", "bot:web"), d1.getList(d1.fieldIndex("path_states")));
    assertEquals(List.of("bot:web", "marketing:email"), d1.getList(d1.fieldIndex("states")));
    assertEquals(3.0, d1.<Double>getAs("days_to_conversion"), EPS);
    Row p2 = journeys.get(2);
    assertEquals(false, p2.getAs("converting"));
    assertEquals(List.of("marketing:email"), p2.getList(p2.fieldIndex("touch_states")), "ends at the lost deal");
    assertNull(p2.getAs("days_to_conversion"));
  }

  @Test
  void creditsByHand() {
    Map<String, Double> c = credits(warehouse(), settings());
    assertCredits(c, "D1|markov|p1a", 4.0 / 17, "D1|markov|p1b", 9.0 / 17, "D1|markov|p1c", 4.0 / 17,
        "D1|shapley|p1a", 1.0 / 8, "D1|shapley|p1b", 3.0 / 4, "D1|shapley|p1c", 1.0 / 8,
        "D3|markov|p3a", 1.0, "D3|shapley|p3a", 1.0);
    assertEquals(8, c.size(), c.toString());
  }

  @Test
  void statesAndPathsByHand() {
    Warehouse w = warehouse();
    Settings settings = settings();
    Dataset<Row> journeys = Journeys.of(w.won(), w.lost(), w.touches(), settings);
    LearnedShares.Fit fit = LearnedShares.fit(journeys, settings);
    Dataset<Row> states = JourneyTables.states(journeys, fit);
    assertEquals(AttributionStatesTable.TABLE.schema().simpleString(), states.schema().simpleString());
    List<Row> s = states.orderBy("state").collectAsList();
    assertEquals(2, s.size());
    assertState(s.get(0), "bot:web", "bot", "web", 1, 1, 2.0 / 3, 8.0 / 17, 1.0 / 8);
    // email: D1's 3/4 and D3's 1 over the window's two converting journeys
    assertState(s.get(1), "marketing:email", "marketing", "email", 3, 2, 3.0 / 4, 9.0 / 17, 7.0 / 8);

    Dataset<Row> paths = JourneyTables.paths(journeys);
    assertEquals(AttributionPathsTable.TABLE.schema().simpleString(), paths.schema().simpleString());
    List<Row> p = paths.orderBy("path").collectAsList();
    assertEquals(List.of("30|bot:web > marketing:email > bot:web|3|1|1|0|1.0|100.000000|3.0|3.0",
            "30|marketing:email|1|2|1|1|0.5|50.000000|1.0|1.0"),
        p.stream().map(r -> r.mkString("|")).toList());
  }

  static void assertState(Row r, String state, String type, String channel, long journeys, long converting,
      double re, double markov, double shapley) {
    assertEquals(List.of(30, state, type, channel, journeys, converting),
        List.of(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)));
    assertEquals(re, r.getDouble(6), EPS, state);
    assertEquals(markov, r.getDouble(7), EPS, state);
    assertEquals(shapley, r.getDouble(8), EPS, state);
  }

  /** docs/attribution.md, "The deal of the example, learned": the fractions worked there by hand. */
  @Test
  void theDealOfTheDocs() {
    var spark = TestSpark.session();
    Warehouse w = new Warehouse(spark.createDataFrame(List.of(won("D", "P", 1000), won("DQ", "Q", 100)), WON),
        spark.createDataFrame(List.of(), LOST),
        spark.createDataFrame(List.of(touch("P", "m1", "marketing", "email", days(20)),
            touch("P", "b1", "bot", "web", days(12)), touch("P", "m2", "marketing", "paid_search", days(6)),
            touch("P", "b2", "bot", "web", days(1)), touch("Q", "q1", "bot", "web", days(3)),
            touch("R", "r1", "marketing", "email", days(4))), TOUCHES));
    Map<String, Double> c = credits(w, settings());
    assertCredits(c, "D|markov|m1", 3.0 / 11, "D|markov|b1", 3.0 / 11, "D|markov|m2", 2.0 / 11,
        "D|markov|b2", 3.0 / 11, "D|shapley|m1", 1.0 / 6, "D|shapley|b1", 1.0 / 3, "D|shapley|m2", 1.0 / 6,
        "D|shapley|b2", 1.0 / 3);
  }

  /** Each "deal|model|touch" key of {@code expected} (key, value, key, value, …) has that credit. */
  static void assertCredits(Map<String, Double> c, Object... expected) {
    for (int i = 0; i < expected.length; i += 2) {
      Double actual = c.get((String) expected[i]);
      assertTrue(actual != null, expected[i] + " has no credit in " + c);
      assertEquals((Double) expected[i + 1], actual, EPS, (String) expected[i]);
    }
  }

  @Test
  void moreStatesThanTheCapFallBackToLinear() {
    Map<String, Double> c = credits(warehouse(), settings("attribution.shapley.max-states=1"));
    for (String t : List.of("p1a", "p1b", "p1c")) {
      assertEquals(1.0 / 3, c.get("D1|shapley|" + t), EPS, t);
    }
    assertEquals(4.0 / 17, c.get("D1|markov|p1a"), EPS, "markov has no cap");
    assertEquals(1.0, c.get("D3|shapley|p3a"), EPS, "one state is within the cap");
  }

  @Test
  void aWindowWithoutAConversionHasNoEffects() {
    var spark = TestSpark.session();
    Warehouse w = warehouse();
    Warehouse none = new Warehouse(spark.createDataFrame(List.of(), WON), w.lost(), w.touches());
    Dataset<Row> journeys = Journeys.of(none.won(), none.lost(), none.touches(), settings());
    List<Row> s = JourneyTables.states(journeys, LearnedShares.fit(journeys, settings())).collectAsList();
    assertTrue(s.size() >= 2, s.toString());
    for (Row r : s) {
      assertEquals(0L, r.getLong(5));
      assertTrue(r.isNullAt(6) && r.isNullAt(7) && r.isNullAt(8), r.toString());
    }
  }

  /** Random people and deals: every attributed deal's credits sum to 1 under every model and window. */
  @Test
  void creditsOfEveryAttributedDealSumToOne() {
    var spark = TestSpark.session();
    Random rnd = new Random(17);
    String[] channels = {"bot:web", "bot:whatsapp", "marketing:email", "marketing:paid_search", "marketing:form"};
    List<Row> touches = new ArrayList<>();
    List<Row> won = new ArrayList<>();
    List<Row> lost = new ArrayList<>();
    for (int p = 0; p < 60; p++) {
      int n = 1 + rnd.nextInt(9);
      for (int t = 0; t < n; t++) {
        String[] st = channels[rnd.nextInt(channels.length)].split(":");
        touches.add(touch("L" + p, "t" + p + "_" + t, st[0], st[1], Duration.ofMinutes(rnd.nextInt(120 * 1440))));
      }
      int kind = rnd.nextInt(3);
      Instant at = ANCHOR.minus(Duration.ofMinutes(rnd.nextInt(40 * 1440)));
      if (kind == 0) {
        Timestamp ts = Timestamp.from(at);
        won.add(RowFactory.create("D" + p, "L" + p, ts, ts, BigDecimal.valueOf(100 + p), BigDecimal.valueOf(50)));
      } else if (kind == 1) {
        lost.add(RowFactory.create("L" + p, Timestamp.from(at), "X" + p));
      }
    }
    Settings settings = TestSpark.settings("attribution.shapley.max-states=3");
    Dataset<Row> w = spark.createDataFrame(won, WON);
    Dataset<Row> t = spark.createDataFrame(touches, TOUCHES);
    Dataset<Row> journeys = Journeys.of(w, spark.createDataFrame(lost, LOST), t, settings);
    Dataset<Row> credits = Attribution.credits(w, t, LearnedShares.fit(journeys, settings).shares(), settings);
    List<Row> sums = credits.groupBy("deal_id", "model", "window_days")
        .agg(org.apache.spark.sql.functions.sum("credit")).collectAsList();
    assertTrue(sums.size() > 7 * 3 * 5, "enough attributed deals: " + sums.size());
    for (Row r : sums) {
      assertEquals(1.0, r.getDouble(3), 1e-9, r.toString());
    }
    assertEquals(7, sums.stream().map(r -> r.getString(1)).collect(Collectors.toSet()).size());
  }

  /** The same inputs in other partitions and orders give the same credits and states, bit for bit. */
  @Test
  void attributedTwiceIsBitForBitTheSame() {
    Warehouse w = warehouse();
    Settings settings = settings();
    List<String> one = learnedOutputs(w, settings);
    Warehouse shuffled = new Warehouse(w.won().repartition(3), w.lost().repartition(2),
        w.touches().orderBy(col("touch_id").desc()).repartition(5));
    assertEquals(one, learnedOutputs(shuffled, settings));
  }

  static List<String> learnedOutputs(Warehouse w, Settings settings) {
    Dataset<Row> journeys = Journeys.of(w.won(), w.lost(), w.touches(), settings);
    LearnedShares.Fit fit = LearnedShares.fit(journeys, settings);
    List<String> out = new ArrayList<>();
    for (Dataset<Row> d : List.of(Attribution.creditRows(Attribution.credits(w.won(), w.touches(), fit.shares(),
        settings)), JourneyTables.states(journeys, fit), JourneyTables.paths(journeys))) {
      // Double.toString is the shortest string that reads back as the same bits
      d.collectAsList().stream().map(Row::toString).sorted().forEach(out::add);
    }
    return out;
  }
}
