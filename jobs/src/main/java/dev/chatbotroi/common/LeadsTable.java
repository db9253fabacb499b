package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

/** Table `leads`: one row per CRM lead id (the latest row seen wins). */
public final class LeadsTable {
  private LeadsTable() {}

  public static final String LEAD_ID = "lead_id";

  public static final TableSchema TABLE = new TableSchema("leads", struct(
      str(LEAD_ID), ts("created_at"), str("source"), str("email_hash"), str("status"),
      ts("mql_at"), ts("sql_at"), ts("meeting_booked_at"), bool("meeting_qualified"),
      str("source_file"), str("run_id"), ts("ingested_at")));
}
