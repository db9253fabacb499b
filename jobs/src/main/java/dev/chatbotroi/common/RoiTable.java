package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import dev.chatbotroi.common.TableSchema.PeriodKind;
import java.util.List;

/** Table `roi`: one row per month with conversations or won deals (docs/attribution.md#roi). */
public final class RoiTable {
  private RoiTable() {}

  public static final TableSchema TABLE = new TableSchema("roi", struct(
      str("period_grain"), date("period_start"), money("program_cost"), lng("deflected"), money("avoided_labor_cost"),
      money("deflection_savings"), str("model"), integer("window_days"), money("attributed_gross_profit"),
      dbl("roi_pct")))
      .exported(List.of("period_grain", "period_start", "model", "window_days"), "period_start", PeriodKind.DATE, List.of(List.of("period_start")));
}
