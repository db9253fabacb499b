package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

/** Table `metrics`: one row per period, segment (grouping set) and metric (docs/metrics.md). */
public final class MetricsTable {
  private MetricsTable() {}

  public static final String PERIOD_GRAIN = "period_grain";
  public static final String PERIOD_START = "period_start";

  public static final TableSchema TABLE = new TableSchema("metrics", struct(
      str(PERIOD_GRAIN), date(PERIOD_START), str("channel"), str("flow"), str("intent"),
      str("metric"), dbl("numerator"), dbl("denominator"), dbl("value"), dbl("ci_low"), dbl("ci_high")),
      PERIOD_GRAIN);
}
