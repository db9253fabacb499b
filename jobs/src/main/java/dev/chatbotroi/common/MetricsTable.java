package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import dev.chatbotroi.common.TableSchema.PeriodKind;
import java.util.List;

/** Table `metrics`: one row per period, segment (grouping set) and metric (docs/metrics.md). */
public final class MetricsTable {
  private MetricsTable() {}

  public static final String PERIOD_GRAIN = "period_grain";
  public static final String PERIOD_START = "period_start";

  public static final TableSchema TABLE = new TableSchema("metrics", struct(
      str(PERIOD_GRAIN), date(PERIOD_START), str("channel"), str("flow"), str("intent"),
      str("metric"), dbl("numerator"), dbl("denominator"), dbl("value"), dbl("ci_low"), dbl("ci_high")),
      PERIOD_GRAIN)
      .exported(List.of("period_grain", "period_start", "channel", "flow", "intent", "metric"), "period_start", PeriodKind.DATE, List.of(List.of("metric", "period_grain", "period_start"), List.of("period_start")));
}
