package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

/** Internal table `_ingested_files`: one row per input file ingested, to make ingest incremental. */
public final class IngestedFilesTable {
  private IngestedFilesTable() {}

  public static final String PATH = "path";
  public static final String SIZE = "size";
  public static final String MODIFICATION_TIME = "modification_time";
  public static final String RUN_ID = "run_id";

  public static final TableSchema TABLE = new TableSchema("_ingested_files", struct(
      str(PATH), str("source"), lng(SIZE), lng(MODIFICATION_TIME), str(RUN_ID),
      ts("ingested_at")));
}
