package dev.chatbotroi.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.DealsTable;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.LeadsTable;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.TicketsTable;
import dev.chatbotroi.testing.PhysicalPlans;
import dev.chatbotroi.testing.TestSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** All 30-odd metrics come from one pass over the conversations table, not a scan per metric. */
class MetricsPlanTest {

  @TempDir Path dir;

  @Test
  void conversationsAreScannedOnceForTheFactsAndOnceForLeadCaptures() {
    var spark = TestSpark.session();
    Tables tables = new Tables(spark, dir.resolve("wh").toString());
    for (var t : List.of(ConversationsTable.TABLE, EventsTable.TABLE, LeadsTable.TABLE, TicketsTable.TABLE,
        DealsTable.TABLE)) {
      tables.ensure(t);
    }
    MetricInputs.Inputs in = MetricInputs.Inputs.read(tables, TestSpark.settings(), (Periods.Range) null);
    Dataset<Row> metrics = Metrics.compute(in.conversations(), in.captures(), in.impressions(), in.leads(),
        in.tickets(), TestSpark.settings());
    SparkPlan plan = PhysicalPlans.of(metrics);
    Map<String, Integer> scans = new TreeMap<>();
    for (SparkPlan leaf : PhysicalPlans.leaves(plan)) {
      if (leaf instanceof FileSourceScanExec f) {
        String path = f.relation().location().rootPaths().head().toString();
        scans.merge(path.substring(path.lastIndexOf('/') + 1), 1, Integer::sum);
      }
    }
    assertEquals(Map.of("conversations", 2, "events", 1, "leads", 1, "tickets", 1), scans, plan.toString());
  }
}
