package dev.chatbotroi.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.Stage;
import dev.chatbotroi.common.StageContext;
import dev.chatbotroi.common.Tables;
import java.io.PrintStream;
import java.sql.Date;
import org.apache.spark.sql.Row;

/**
 * Stage `ingest`: new lake files into the silver tables; with a range, it also widens the range by
 * `run.lookback-days` for late data and counts the late events older than that; grain: one run.
 */
public final class IngestStage implements Stage {

  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public Scope scope() {
    return Scope.FIRST;
  }

  @Override
  public Outcome run(StageContext c, Periods.Range range) {
    IngestJob.Result r = IngestJob.run(c.tables(), c.lake(), c.settings(), c.settings().requireHashKey(), c.runId(),
        c.err());
    JobRun.Counts counts = r.counts();
    Periods.Range next = range;
    if (range != null) {
      next = new Periods.Range(range.from().minusDays(c.settings().run().lookbackDays()), range.to());
      counts = counts.withLateEvents(lateEvents(c.tables(), c.settings(), c.runId(), next, c.err()));
    }
    return new Outcome(r.summary(), next, counts);
  }

  /**
   * Events this run stored for dates before the recomputed range: they are kept, but their periods
   * are only recomputed when a run covers them, which the warning says how to do.
   */
  static long lateEvents(Tables tables, Settings settings, String runId, Periods.Range recompute, PrintStream err) {
    Row r = tables.read(EventsTable.TABLE)
        .where(col("run_id").equalTo(runId))
        .select(Periods.localDate(col(EventsTable.EVENT_TS), settings).as("d"))
        .where(col("d").lt(lit(Date.valueOf(recompute.from()))))
        .agg(count(lit(1)), min("d")).first();
    long late = r.getLong(0);
    if (late > 0) {
      err.println("run: WARNING " + late + " late events for dates before " + recompute.from()
          + " (the oldest " + r.get(1) + ") were stored but their periods not recomputed; run --from "
          + r.get(1) + " --to " + recompute.from().minusDays(1) + " to include them");
    }
    return late;
  }
}
