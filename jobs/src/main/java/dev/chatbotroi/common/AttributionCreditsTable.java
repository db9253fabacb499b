package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import dev.chatbotroi.common.TableSchema.PeriodKind;
import java.util.List;

/** Table `attribution_credits`: one row per won deal, model, window and touch with credit > 0 (docs/attribution.md). */
public final class AttributionCreditsTable {
  private AttributionCreditsTable() {}

  public static final TableSchema TABLE = new TableSchema("attribution_credits", struct(
      str("deal_id"), str("model"), integer("window_days"), str("touch_id"), str("touch_type"), ts("touch_ts"),
      str("channel"), str("flow"), str("intent"), str("campaign"), dbl("credit"), money("attributed_revenue"),
      money("attributed_gross_profit"), ts("closed_at")))
      .exported(List.of("deal_id", "model", "window_days", "touch_id"), "closed_at", PeriodKind.TIMESTAMP, List.of(List.of("model", "window_days", "closed_at"), List.of("closed_at")));
}
