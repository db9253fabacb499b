package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import dev.chatbotroi.common.TableSchema.PeriodKind;
import java.util.List;

/** Table `diagnostics`: one row per ISO week, flow and playbook rule that fires, with its evidence. */
public final class DiagnosticsTable {
  private DiagnosticsTable() {}

  public static final TableSchema TABLE = new TableSchema("diagnostics", struct(
      date("period_start"), str("flow"), str("rule"), str("severity"), str("message"), str("evidence")))
      .exported(List.of("period_start", "flow", "rule"), "period_start", PeriodKind.DATE, List.of(List.of("severity", "period_start")));
}
