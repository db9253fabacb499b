package dev.chatbotroi.common;

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
      JobRunsTable.TABLE);
}
