package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

/** Table `diagnostics`: one row per ISO week, flow and playbook rule that fires, with its evidence. */
public final class DiagnosticsTable {
  private DiagnosticsTable() {}

  public static final TableSchema TABLE = new TableSchema("diagnostics", struct(
      date("period_start"), str("flow"), str("rule"), str("severity"), str("message"), str("evidence")));
}
