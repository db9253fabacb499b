package dev.chatbotroi.conversations;

import static dev.chatbotroi.testing.Events.ev;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.TicketsTable;
import dev.chatbotroi.testing.Events;
import dev.chatbotroi.testing.PhysicalPlans;
import dev.chatbotroi.testing.TestSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.columnar.InMemoryTableScanExec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conversations stage scans the events table once: every use reads one cached projection. */
class ConversationsJobTest {

  @TempDir Path dir;

  @Test
  void theEventsAreScannedOnce() {
    var spark = TestSpark.session();
    Tables tables = new Tables(spark, dir.resolve("wh").toString());
    tables.append(EventsTable.TABLE, Events.of(TestSpark.settings(), List.of(
        ev("e1", "user_message", "2026-03-02T10:00:00Z", "c1", "a1", "\"user_id\":\"L-1\""),
        ev("e2", "purchase_after_chat", "2026-03-02T11:00:00Z", "c1", "a1",
            "\"properties\":{\"order_id\":\"o\",\"revenue\":5}"))));
    tables.ensure(TicketsTable.TABLE);
    Dataset<Row> events = tables.read(EventsTable.TABLE).select(dev.chatbotroi.common.Columns.of(ConversationsJob.COLUMNS)).cache();
    try {
      Dataset<Row> built = ConversationsJob.all(events, tables.read(TicketsTable.TABLE), TestSpark.settings());
      SparkPlan plan = PhysicalPlans.of(built);
      List<SparkPlan> leaves = PhysicalPlans.leaves(plan);
      long cachedReads = leaves.stream().filter(l -> l instanceof InMemoryTableScanExec).count();
      long eventFileScans = leaves.stream()
          .filter(l -> l instanceof FileSourceScanExec f && f.relation().location().rootPaths().head().toString()
              .contains("/events"))
          .count();
      // the identity map, the conversation facts (purchases folded in) and the ticket candidates:
      // three reads of one cached scan, none of the table itself
      assertEquals(3, cachedReads, plan.toString());
      assertEquals(0, eventFileScans, plan.toString());
      assertEquals(1, built.count());
      assertTrue(built.first().<Boolean>getAs("converted"));
    } finally {
      events.unpersist();
    }
  }
}
