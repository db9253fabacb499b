package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import dev.chatbotroi.common.TableSchema.PeriodKind;
import java.util.List;

/** Table `revenue_attribution`: per week / month, model, window, touch type and grouping set (docs/attribution.md). */
public final class RevenueAttributionTable {
  private RevenueAttributionTable() {}

  public static final TableSchema TABLE = new TableSchema("revenue_attribution", struct(
      str("period_grain"), date("period_start"), str("model"), integer("window_days"), str("touch_type"),
      str("channel"), str("flow"), str("intent"), lng("deals"), money("attributed_revenue"),
      money("attributed_gross_profit"), money("influenced_revenue"), money("sourced_revenue"),
      money("won_revenue"), money("unattributed_revenue")),
      "period_grain")
      .exported(List.of("period_grain", "period_start", "model", "window_days", "touch_type", "channel", "flow", "intent"), "period_start", PeriodKind.DATE, List.of(List.of("model", "window_days", "period_grain", "period_start"), List.of("period_start")));
}
