package dev.chatbotroi.experiments;

import dev.chatbotroi.common.Columns;
import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.DealsTable;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.ExperimentsTable;
import dev.chatbotroi.common.IdentityMap;
import dev.chatbotroi.common.LeadsTable;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.Stage;
import dev.chatbotroi.common.StageContext;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.TicketsTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Stage `experiments`: assignment events + conversations, leads, deals, tickets → `experiments`,
 * always whole whatever the range (a unit's window reaches past any range); grain: one run.
 */
public final class ExperimentsStage implements Stage {

  /** The event columns the stage reads: the assignments, and what the identity map needs. */
  static final String[] EVENT_COLUMNS = {"event_id", "event_name", "event_ts", "anonymous_id", "user_id", "lead_id",
      "experiment", "variant"};

  @Override
  public String name() {
    return "experiments";
  }

  @Override
  public Scope scope() {
    return Scope.ONCE;
  }

  @Override
  public Outcome run(StageContext c, Periods.Range range) {
    Tables tables = c.tables();
    Dataset<Row> events = tables.read(EventsTable.TABLE).select(Columns.of(EVENT_COLUMNS));
    // the aggregates are collected once (ExperimentRows), so nothing is computed twice and nothing cached
    long rows = tables.overwriteCounted(ExperimentsTable.TABLE, table(Experiments.units(events),
        IdentityMap.of(events), tables.read(ConversationsTable.TABLE), tables.read(LeadsTable.TABLE),
        tables.read(DealsTable.TABLE), tables.read(TicketsTable.TABLE), c.settings()));
    return Outcome.of(rows + " rows", range);
  }

  /** The whole table from the units ({@link Experiments#units}) and the tables their outcomes come from. */
  public static Dataset<Row> table(Dataset<Row> units, Dataset<Row> identity, Dataset<Row> conversations,
      Dataset<Row> leads, Dataset<Row> deals, Dataset<Row> tickets, Settings settings) {
    Dataset<Row> outcomes = Experiments.outcomes(Experiments.withLeads(units, identity), conversations, leads,
        Experiments.wonDeals(deals, leads, settings), tickets, settings);
    return ExperimentRows.rows(Experiments.aggregates(outcomes, settings), settings);
  }
}
