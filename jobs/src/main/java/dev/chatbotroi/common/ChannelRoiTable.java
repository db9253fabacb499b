package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import dev.chatbotroi.common.TableSchema.PeriodKind;
import java.util.List;

/** Table `channel_roi`: per month, model and window, one row per marketing channel plus one bot row (docs/attribution.md#channel-roi). */
public final class ChannelRoiTable {
  private ChannelRoiTable() {}

  public static final String SPEND = "spend";
  public static final String CREDITED_DEALS = "credited_deals";
  public static final String ROAS = "roas";
  public static final String COST_PER_WON_DEAL = "cost_per_won_deal";
  public static final String ROI_PCT = "roi_pct";

  public static final TableSchema TABLE = new TableSchema("channel_roi", struct(
      str("period_grain"), date("period_start"), str("model"), integer("window_days"), str("touch_type"),
      str("channel"), money(SPEND), dbl(CREDITED_DEALS), money("attributed_revenue"),
      money("attributed_gross_profit"), dbl(ROAS), dbl(COST_PER_WON_DEAL), dbl(ROI_PCT)))
      .exported(List.of("period_grain", "period_start", "model", "window_days", "touch_type", "channel"),
          "period_start", PeriodKind.DATE,
          List.of(List.of("model", "window_days", "period_start"), List.of("period_start")));
}
