package dev.chatbotroi.metrics;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;

import dev.chatbotroi.common.Segments;
import dev.chatbotroi.common.Settings;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Computes `diagnostics`: the six playbook rules of docs/metrics.md on each week and flow, one row per
 * rule that fires, with the numbers that made it fire.
 */
public final class Diagnostics {
  private Diagnostics() {}

  /** One playbook rule: when it fires, and the numbers it shows. */
  record Rule(String id, String severity, String message, Column fires, Column evidence) {}

  static Column v(String m) {
    return col("v_" + m);
  }

  static Column p(String m) {
    return col("p_" + m);
  }

  /** This week's value has at least benchmarks.min-sample behind it, and last week's exists. */
  static Column trend(Settings s, String m) {
    return coalesce(col("n_" + m), lit(0d)).geq(s.benchmarks().minSample()).and(p(m).isNotNull());
  }

  static Column sampled(Settings s, String m) {
    return coalesce(col("n_" + m), lit(0d)).geq(s.benchmarks().minSample()).and(v(m).isNotNull());
  }

  static Column change(String m) {
    return format_string(m + " %.3f (last week %.3f)", v(m), p(m));
  }

  static List<Rule> rules(Settings s) {
    // "below its band": under the ok threshold, or under the ok range when the band is a range
    Settings.Band csatBand = s.benchmarks().bands().get("csat");
    double csatOk = csatBand.ok() != null ? csatBand.ok() : csatBand.okRange().get(0);
    double handoffBelow = s.diagnostics().trappingHandoffBelow();
    double belowHuman = s.diagnostics().belowHumanPoints();
    return List.of(
        new Rule("understanding_gap", "warning",
            "CSAT fell while the fallback rate rose: the bot misunderstands more; review fallback intents and training phrases",
            trend(s, "csat").and(trend(s, "fallback_rate"))
                .and(v("csat").lt(p("csat"))).and(v("fallback_rate").gt(p("fallback_rate"))),
            format_string("%s, %s", change("csat"), change("fallback_rate"))),
        new Rule("users_trapped", "critical",
            "CSAT fell while handoffs fell: visitors may be kept from reaching a human",
            trend(s, "csat").and(trend(s, "handoff_rate"))
                .and(v("csat").lt(p("csat"))).and(v("handoff_rate").lt(p("handoff_rate"))),
            format_string("%s, %s", change("csat"), change("handoff_rate"))),
        new Rule("trapping", "critical",
            String.format(java.util.Locale.ROOT, "Under %s of conversations reach a human and CSAT is below its band:"
                + " make the human path visible", percent(handoffBelow)),
            sampled(s, "handoff_rate").and(sampled(s, "csat"))
                .and(v("handoff_rate").lt(handoffBelow)).and(v("csat").lt(csatOk)),
            format_string("handoff_rate %.3f (< %.2f), csat %.3f (< %.2f)", v("handoff_rate"), lit(handoffBelow),
                v("csat"), lit(csatOk))),
        new Rule("meandering", "warning",
            "Conversations got longer while fewer reach their goal: flows meander; shorten the paths",
            trend(s, "median_turns").and(trend(s, "goal_completion_rate"))
                .and(v("median_turns").gt(p("median_turns")))
                .and(v("goal_completion_rate").lt(p("goal_completion_rate"))),
            format_string("%s, %s", change("median_turns"), change("goal_completion_rate"))),
        new Rule("soft_qualification", "warning",
            "Chatbot leads qualify less often than form leads: qualification questions are too soft",
            sampled(s, "lead_quality_rate").and(col("b_form").isNotNull())
                .and(v("lead_quality_rate").lt(col("b_form"))),
            format_string("lead_quality_rate %.3f, form leads %.3f", v("lead_quality_rate"), col("b_form"))),
        new Rule("below_human", "critical",
            String.format(java.util.Locale.ROOT, "Bot CSAT is more than %s points under the human agents' CSAT",
                new java.math.BigDecimal(Double.toString(belowHuman * 100)).stripTrailingZeros().toPlainString()),
            sampled(s, "csat").and(col("b_human").isNotNull())
                .and(v("csat").lt(col("b_human").minus(belowHuman))),
            format_string("csat %.3f, human csat %.3f", v("csat"), col("b_human"))));
  }

  /** 0.05 as "5%", 0.125 as "12.5%": the message says the threshold the user set. */
  static String percent(double share) {
    return new java.math.BigDecimal(Double.toString(share * 100)).stripTrailingZeros().toPlainString() + "%";
  }

  /** The rules that fire, from {@link Scoreboard#weeks}, in one pass over the weeks. */
  public static Dataset<Row> compute(Dataset<Row> w, Settings settings) {
    // the form and human baselines exist on the (all) rows; each flow is held against them
    Dataset<Row> base = w.where(col("flow").equalTo(Segments.ALL)).select(col("period_start").as("_b_week"),
        col("v_lead_quality_rate_form").as("b_form"), col("v_csat_human").as("b_human"));
    Dataset<Row> rows = w.join(base, w.col("period_start").equalTo(base.col("_b_week")), "left");
    // every rule as a struct that is null unless it fires: one projection, not one scan per rule
    List<Column> fired = new ArrayList<>();
    for (Rule r : rules(settings)) {
      fired.add(when(coalesce(r.fires(), lit(false)), struct(lit(r.id()).as("rule"), lit(r.severity()).as("severity"),
          lit(r.message()).as("message"), r.evidence().as("evidence"))));
    }
    return rows.select(col("period_start"), col("flow"), explode(array(fired.toArray(new Column[0]))).as("_r"))
        .where(col("_r").isNotNull())
        .select(col("period_start"), col("flow"), col("_r.rule").as("rule"), col("_r.severity").as("severity"),
            col("_r.message").as("message"), col("_r.evidence").as("evidence"));
  }
}
