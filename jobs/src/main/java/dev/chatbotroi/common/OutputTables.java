package dev.chatbotroi.common;

import java.util.List;

/** The §5 output tables in contract order; later stages add theirs here. */
public final class OutputTables {
  private OutputTables() {}

  /** Every table `export` writes: all of §5 except `events` (§7). */
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
