package dev.chatbotroi.pipeline;

import dev.chatbotroi.common.AttributionCreditsTable;
import dev.chatbotroi.common.AttributionPathsTable;
import dev.chatbotroi.common.AttributionStatesTable;
import dev.chatbotroi.common.ChannelRoiTable;
import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.DiagnosticsTable;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.ExperimentsTable;
import dev.chatbotroi.common.FunnelTable;
import dev.chatbotroi.common.JobRunsTable;
import dev.chatbotroi.common.KnowledgeGapsTable;
import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.common.QuarantineTable;
import dev.chatbotroi.common.RevenueAttributionTable;
import dev.chatbotroi.common.RoiTable;
import dev.chatbotroi.common.TableSchema;
import dev.chatbotroi.metrics.ScoreboardWeeklyTable;
import java.util.ArrayList;
import java.util.List;

/** The output tables in the order of docs/reference.md; later stages add theirs here. */
public final class OutputTables {
  private OutputTables() {}

  /** Every table `export` writes (docs/reference.md#exports): all outputs except `events`. */
  public static final List<TableSchema> EXPORTED = List.of(
      QuarantineTable.TABLE,
      ConversationsTable.TABLE,
      MetricsTable.TABLE,
      AttributionCreditsTable.TABLE,
      RevenueAttributionTable.TABLE,
      KnowledgeGapsTable.TABLE,
      FunnelTable.TABLE,
      RoiTable.TABLE,
      ScoreboardWeeklyTable.TABLE,
      DiagnosticsTable.TABLE,
      JobRunsTable.TABLE,
      ExperimentsTable.TABLE,
      ChannelRoiTable.TABLE,
      AttributionStatesTable.TABLE,
      AttributionPathsTable.TABLE);

  /** The tables worth registering in a catalog: events and every exported table. */
  public static List<TableSchema> registrable() {
    List<TableSchema> out = new ArrayList<>(List.of(EventsTable.TABLE));
    out.addAll(EXPORTED);
    return List.copyOf(out);
  }
}
