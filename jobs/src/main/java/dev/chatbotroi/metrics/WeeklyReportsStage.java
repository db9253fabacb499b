package dev.chatbotroi.metrics;

import dev.chatbotroi.common.DiagnosticsTable;
import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Stage;
import dev.chatbotroi.common.StageContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Stage `weekly reports`: the scoreboard and the diagnostics, from the weekly metrics of all time
 * (a week's row shows last week's value), so rebuilt whole, once per run; grain: one run.
 */
public final class WeeklyReportsStage implements Stage {

  @Override
  public String name() {
    return "weekly-reports";
  }

  @Override
  public Scope scope() {
    return Scope.ONCE;
  }

  @Override
  public Outcome run(StageContext c, Periods.Range range) {
    Dataset<Row> w = Scoreboard.weeks(c.tables().read(MetricsTable.TABLE)).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long weeks = c.tables().overwriteCounted(ScoreboardWeeklyTable.TABLE, Scoreboard.compute(w, c.settings()));
      long fired = c.tables().overwriteCounted(DiagnosticsTable.TABLE, Diagnostics.compute(w, c.settings()));
      return Outcome.of(weeks + " scoreboard rows, " + fired + " diagnostics", range);
    } finally {
      w.unpersist();
    }
  }
}
