package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

/**
 * Internal table `_ingest_lock`: one row, the run that is storing new lake files (holder null when
 * none) and when it last renewed its lease.
 */
public final class IngestLockTable {
  private IngestLockTable() {}

  public static final String LOCK = "lock";

  public static final TableSchema TABLE = new TableSchema("_ingest_lock", struct(
      str(LOCK), str("holder"), str("host"), lng("pid"), ts("acquired_at"), ts("heartbeat_at")));
}
