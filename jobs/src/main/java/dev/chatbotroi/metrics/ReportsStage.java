package dev.chatbotroi.metrics;

import static org.apache.spark.sql.functions.col;

import dev.chatbotroi.common.FunnelTable;
import dev.chatbotroi.common.KnowledgeGapsTable;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Stage;
import dev.chatbotroi.common.StageContext;
import java.sql.Date;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Stage `reports`: the knowledge gaps and the funnel of the periods a range touches; grain: one chunk. */
public final class ReportsStage implements Stage {

  @Override
  public String name() {
    return "reports";
  }

  @Override
  public Scope scope() {
    return Scope.CHUNKED;
  }

  @Override
  public Outcome run(StageContext c, Periods.Range range) {
    MetricInputs.Inputs in = MetricInputs.Inputs.read(c.tables(), c.settings(), range);
    long gaps = c.tables().replacePeriods(KnowledgeGapsTable.TABLE,
        MetricInputs.touched(KnowledgeGaps.compute(in.conversations()), range), range);
    Dataset<Row> deals = in.deals();
    if (range != null) {
      // funnel leads and won deals take their own dates; every lead is kept so a deal finds its lead
      Periods.Range w = range.widened();
      deals = deals.where(Periods.localDate(col("closed_at"), c.settings())
          .between(Date.valueOf(w.from()), Date.valueOf(w.to())));
    }
    Dataset<Row> funnel = Funnel.compute(in.conversations(), in.captures(), in.impressions(), in.allLeads(), deals,
        c.settings());
    long funnelRows = c.tables().replacePeriods(FunnelTable.TABLE, MetricInputs.touched(funnel, range), range);
    return Outcome.of(gaps + " knowledge-gap rows, " + funnelRows + " funnel rows", range);
  }
}
