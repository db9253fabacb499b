package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import dev.chatbotroi.common.TableSchema.PeriodKind;
import java.util.List;

/** Table `funnel`: one row per period and (channel, page_type) grouping set with any non-zero step (docs/metrics.md#funnel). */
public final class FunnelTable {
  private FunnelTable() {}

  public static final TableSchema TABLE = new TableSchema("funnel", struct(
      str("period_grain"), date("period_start"), str("channel"), str("page_type"), lng("impressions"),
      lng("engaged"), lng("leads"), lng("qualified_leads"), lng("qualified_meetings"), lng("won_deals"),
      money("won_revenue")),
      "period_grain")
      .exported(List.of("period_grain", "period_start", "channel", "page_type"), "period_start", PeriodKind.DATE, List.of(List.of("period_grain", "period_start")));
}
