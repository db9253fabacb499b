package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Table `scoreboard_weekly`: one row per ISO week and flow (plus (all)); per headline metric its
 * value, band (good / ok / poor / n/a) and last week's value.
 */
public final class ScoreboardWeeklyTable {
  private ScoreboardWeeklyTable() {}

  /** The headline metrics, in the order the scoreboard shows them. */
  public static final List<String> HEADLINE = List.of(
      "engagement_rate", "goal_completion_rate", "deflection_rate", "resolution_rate", "fallback_rate",
      "handoff_rate", "knowledge_gap_rate", "median_first_useful_answer_seconds", "median_turns", "csat",
      "conversion_rate", "cost_per_interaction", "lead_quality_rate", "qualified_booking_rate");

  public static final TableSchema TABLE = new TableSchema("scoreboard_weekly", schema());

  private static StructType schema() {
    List<StructField> f = new ArrayList<>(List.of(date("period_start"), str("flow")));
    for (String m : HEADLINE) {
      f.add(dbl(m));
      f.add(str(m + "_band"));
      f.add(dbl(m + "_last_week"));
    }
    return struct(f.toArray(new StructField[0]));
  }
}
