package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

/** Table `tickets`: one row per help-desk ticket id (the latest row seen wins). */
public final class TicketsTable {
  private TicketsTable() {}

  public static final String TICKET_ID = "ticket_id";

  public static final TableSchema TABLE = new TableSchema("tickets", struct(
      str(TICKET_ID), ts("created_at"), str("anonymous_id"), str("lead_id"),
      str("conversation_id"), str("intent"), str("channel"), integer("csat_score"),
      str("source_file"), str("run_id"), ts("ingested_at")));
}
