package dev.chatbotroi.metrics;

import static org.apache.spark.sql.functions.col;

import dev.chatbotroi.common.DiagnosticsTable;
import dev.chatbotroi.common.FunnelTable;
import dev.chatbotroi.common.KnowledgeGapsTable;
import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.ScoreboardWeeklyTable;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.Tables;
import java.sql.Date;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The gold tables beside `metrics`: knowledge gaps, funnel, weekly scoreboard and diagnostics. */
public final class GoldJob {
  private GoldJob() {}

  /** Writes the tables; returns a short summary of what was written. */
  public static String run(Tables tables, Settings settings, Periods.Range range, MetricsJob.Inputs in) {
    long gaps = MetricsJob.write(tables, KnowledgeGapsTable.TABLE,
        MetricsJob.touched(KnowledgeGaps.compute(in.conversations()), range), range);
    Dataset<Row> leads = in.allLeads();
    Dataset<Row> deals = in.deals();
    if (range != null) {
      // funnel leads and won deals take their own dates; every lead is kept so a deal finds its lead
      Periods.Range w = range.widened();
      deals = deals.where(Periods.localDate(col("closed_at"), settings)
          .between(Date.valueOf(w.from()), Date.valueOf(w.to())));
    }
    Dataset<Row> funnel = Funnel.compute(in.conversations(), in.captures(), in.impressions(), leads, deals,
        settings);
    long funnelRows = MetricsJob.write(tables, FunnelTable.TABLE, MetricsJob.touched(funnel, range), range);
    // derived from the weekly metrics of all time (a week's row shows last week's value), so rebuilt whole
    Dataset<Row> metrics = tables.read(MetricsTable.TABLE);
    long weeks = tables.overwriteCounted(ScoreboardWeeklyTable.TABLE, Scoreboard.compute(metrics, settings));
    long fired = tables.overwriteCounted(DiagnosticsTable.TABLE, Diagnostics.compute(metrics, settings));
    return gaps + " knowledge-gap rows, " + funnelRows + " funnel rows, " + weeks + " scoreboard rows, "
        + fired + " diagnostics";
  }
}
