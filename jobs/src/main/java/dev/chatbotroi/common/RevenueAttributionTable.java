package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

/** Table `revenue_attribution`: per week / month, model, window, touch type and grouping set (docs/attribution.md). */
public final class RevenueAttributionTable {
  private RevenueAttributionTable() {}

  public static final TableSchema TABLE = new TableSchema("revenue_attribution", struct(
      str("period_grain"), date("period_start"), str("model"), integer("window_days"), str("touch_type"),
      str("channel"), str("flow"), str("intent"), lng("deals"), money("attributed_revenue"),
      money("attributed_gross_profit"), money("influenced_revenue"), money("sourced_revenue"),
      money("won_revenue"), money("unattributed_revenue")),
      "period_grain");
}
