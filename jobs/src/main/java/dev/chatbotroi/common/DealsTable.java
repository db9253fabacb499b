package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

/** Table `deals`: one row per CRM deal id (the latest row seen wins); gross_profit as delivered. */
public final class DealsTable {
  private DealsTable() {}

  public static final String DEAL_ID = "deal_id";

  public static final TableSchema TABLE = new TableSchema("deals", struct(
      str(DEAL_ID), str("lead_id"), str("contact_email_hash"), ts("created_at"), ts("closed_at"),
      str("stage"), money("amount"), money("gross_profit"), str("currency"),
      str("source_file"), str("run_id"), ts("ingested_at")));
}
