package dev.chatbotroi.attribution;

import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Stage;
import dev.chatbotroi.common.StageContext;

/**
 * Stage `attribute`: always whole, whatever the range: a deal's credits depend on touches up to the
 * largest window before it, wherever a date range falls; grain: one run.
 */
public final class AttributionStage implements Stage {

  @Override
  public String name() {
    return "attribute";
  }

  @Override
  public Scope scope() {
    return Scope.ONCE;
  }

  @Override
  public Outcome run(StageContext c, Periods.Range range) {
    return Outcome.of(AttributionJob.run(c.tables(), c.settings()), range);
  }
}
