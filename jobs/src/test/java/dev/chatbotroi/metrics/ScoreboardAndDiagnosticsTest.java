package dev.chatbotroi.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatbotroi.common.DiagnosticsTable;
import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.testing.DataFrameAssert;
import dev.chatbotroi.testing.TestSpark;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** Scoreboard bands and last-week values, and each diagnostics rule firing on its fixture and not on its control. */
class ScoreboardAndDiagnosticsTest {

  static final String W0 = "2026-03-02";
  static final String W1 = "2026-03-09";

  /** A weekly (all)-channel, (all)-intent metrics row. */
  static Row metric(String week, String flow, String metric, double value, double n) {
    return RowFactory.create("week", Date.valueOf(week), "(all)", flow, "(all)", metric, null, n, value, null, null);
  }

  static Dataset<Row> metrics(List<Row> rows) {
    return TestSpark.session().createDataFrame(rows, MetricsTable.TABLE.schema());
  }

  @Test
  void bandsAndLastWeek() {
    List<Row> r = new ArrayList<>(List.of(
        metric(W0, "(all)", "engagement_rate", 0.06, 1000),
        metric(W1, "(all)", "engagement_rate", 0.12, 1000),      // ≥ 0.10 → good
        metric(W1, "(all)", "fallback_rate", 0.12, 500),         // lower is better: ≤ 0.15 → ok
        metric(W1, "(all)", "handoff_rate", 0.45, 500),          // outside [0.20, 0.40], inside [0.05, 0.70] → ok
        metric(W1, "(all)", "cost_per_interaction", 0.30, 500),  // relative: good ≤ 0.1 × 4.50 = 0.45 → good
        metric(W1, "(all)", "csat", 0.75, 20),                   // 20 < min-sample 30 → n/a
        metric(W1, "(all)", "lead_quality_rate", 0.42, 100),     // form 0.45: within 0.05 under → ok
        metric(W1, "(all)", "lead_quality_rate_form", 0.45, 100),
        metric(W1, "(all)", "qualified_booking_rate", 0.50, 100), // ≥ form 0.40 → good
        metric(W1, "(all)", "qualified_booking_rate_form", 0.40, 100),
        metric(W1, "lead_qualification", "median_turns", 10, 100), // flow band [6, 12] → good
        metric(W1, "support", "median_turns", 10, 100)));          // default [4, 8] no, [2, 12] → ok
    Dataset<Row> board = Scoreboard.compute(Scoreboard.weeks(metrics(r)), TestSpark.settings());
    assertEquals(ScoreboardWeeklyTable.TABLE.schema().simpleString(), board.schema().simpleString());
    Row all = board.where("period_start = '" + W1 + "' and flow = '(all)'").first();
    assertEquals(0.12, all.<Double>getAs("engagement_rate"));
    assertEquals("good", all.getAs("engagement_rate_band"));
    assertEquals(0.06, all.<Double>getAs("engagement_rate_last_week"));
    assertEquals("ok", all.getAs("fallback_rate_band"));
    assertEquals("ok", all.getAs("handoff_rate_band"));
    assertEquals("good", all.getAs("cost_per_interaction_band"));
    assertEquals("n/a", all.getAs("csat_band"));
    assertEquals("ok", all.getAs("lead_quality_rate_band"));
    assertEquals("good", all.getAs("qualified_booking_rate_band"));
    assertEquals("n/a", all.getAs("deflection_rate_band"), "no value");
    assertEquals(true, all.isNullAt(all.fieldIndex("deflection_rate")));
    assertEquals("good", board.where("flow = 'lead_qualification'").first().getAs("median_turns_band"));
    assertEquals("ok", board.where("flow = 'support'").first().getAs("median_turns_band"));
    assertEquals("n/a", board.where("flow = 'support'").first().getAs("engagement_rate_band"));
    assertEquals(4, board.count(), "(all) in two weeks, two flows in one");
  }

  static void trend(List<Row> r, String flow, String metric, double before, double after) {
    r.add(metric(W0, flow, metric, before, 100));
    r.add(metric(W1, flow, metric, after, 100));
  }

  @Test
  void eachRuleFiresOnItsFixtureAndStaysSilentOnItsControl() {
    List<Row> r = new ArrayList<>();
    // baselines on (all): form leads 0.45, human CSAT 0.75 (so "10 points under" is < 0.65)
    r.add(metric(W1, "(all)", "lead_quality_rate_form", 0.45, 100));
    r.add(metric(W1, "(all)", "csat_human", 0.75, 100));
    // understanding gap: CSAT down, fallback up | control: fallback down
    trend(r, "f1", "csat", 0.8, 0.7);
    trend(r, "f1", "fallback_rate", 0.1, 0.2);
    trend(r, "c1", "csat", 0.8, 0.7);
    trend(r, "c1", "fallback_rate", 0.2, 0.1);
    // users trapped: CSAT down, handoff down | control: CSAT up
    trend(r, "f2", "csat", 0.8, 0.7);
    trend(r, "f2", "handoff_rate", 0.3, 0.2);
    trend(r, "c2", "csat", 0.7, 0.8);
    trend(r, "c2", "handoff_rate", 0.3, 0.2);
    // trapping: handoff < 5% and CSAT under its ok band (0.70) | control: CSAT 0.75
    r.add(metric(W1, "f3", "handoff_rate", 0.03, 100));
    r.add(metric(W1, "f3", "csat", 0.66, 100));
    r.add(metric(W1, "c3", "handoff_rate", 0.03, 100));
    r.add(metric(W1, "c3", "csat", 0.75, 100));
    // meandering: turns up, goal completion down | control: goal completion up
    trend(r, "f4", "median_turns", 5, 7);
    trend(r, "f4", "goal_completion_rate", 0.4, 0.3);
    trend(r, "c4", "median_turns", 5, 7);
    trend(r, "c4", "goal_completion_rate", 0.3, 0.4);
    // soft qualification: chatbot leads 0.30 < form 0.45 | control: 0.50
    r.add(metric(W1, "f5", "lead_quality_rate", 0.30, 100));
    r.add(metric(W1, "c5", "lead_quality_rate", 0.50, 100));
    // below the human baseline: 0.60 < 0.75 − 0.10 | control: 0.70
    r.add(metric(W1, "f6", "csat", 0.60, 100));
    r.add(metric(W1, "c6", "csat", 0.70, 100));

    Dataset<Row> d = Diagnostics.compute(Scoreboard.weeks(metrics(r)), TestSpark.settings());
    assertEquals(DiagnosticsTable.TABLE.schema().simpleString(), d.schema().simpleString());
    Set<String> fired = new TreeSet<>();
    for (Row row : d.collectAsList()) {
      fired.add(row.getDate(0) + " " + row.getString(1) + " " + row.getString(2));
    }
    assertEquals(new TreeSet<>(List.of(
        W1 + " f1 understanding_gap", W1 + " f2 users_trapped", W1 + " f3 trapping", W1 + " f4 meandering",
        W1 + " f5 soft_qualification", W1 + " f6 below_human")), fired);
    Row gap = d.where("rule = 'understanding_gap'").first();
    assertEquals("csat 0.700 (last week 0.800), fallback_rate 0.200 (last week 0.100)", gap.getAs("evidence"));
    assertEquals(List.of("critical", "critical", "critical", "warning", "warning", "warning"),
        DataFrameAssert.sortedText(d.select("severity")).stream().map(s -> s.substring(1, s.length() - 1)).toList());
  }

  @Test
  void underTheMinimumSampleNoRuleFires() {
    List<Row> r = new ArrayList<>();
    r.add(metric(W0, "f1", "csat", 0.8, 10));
    r.add(metric(W1, "f1", "csat", 0.7, 10));
    r.add(metric(W0, "f1", "fallback_rate", 0.1, 10));
    r.add(metric(W1, "f1", "fallback_rate", 0.2, 10));
    assertEquals(0, Diagnostics.compute(Scoreboard.weeks(metrics(r)), TestSpark.settings()).count());
    assertEquals(1, Diagnostics.compute(Scoreboard.weeks(metrics(r)), TestSpark.settings("benchmarks.min-sample=5")).count());
  }
}
