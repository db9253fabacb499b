package dev.chatbotroi.metrics;

import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Stage;
import dev.chatbotroi.common.StageContext;

/** Stage `metrics`: conversations (+ impressions, leads, tickets) → `metrics`; grain: one chunk. */
public final class MetricsStage implements Stage {

  @Override
  public String name() {
    return "metrics";
  }

  @Override
  public Scope scope() {
    return Scope.CHUNKED;
  }

  @Override
  public Outcome run(StageContext c, Periods.Range range) {
    MetricInputs.Inputs in = MetricInputs.Inputs.read(c.tables(), c.settings(), range);
    long rows = c.tables().replacePeriods(MetricsTable.TABLE, MetricInputs.rows(c.settings(), range, in), range);
    return Outcome.of(rows + " metric rows", range);
  }
}
