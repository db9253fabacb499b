package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

/** Internal table `_ingested_files`: one row per input file ingested, to make ingest incremental. */
public final class IngestedFilesTable {
  private IngestedFilesTable() {}

  public static final TableSchema TABLE = new TableSchema("_ingested_files", struct(
      str("path"), str("source"), lng("size"), lng("modification_time"), str("run_id"),
      ts("ingested_at")));
}
