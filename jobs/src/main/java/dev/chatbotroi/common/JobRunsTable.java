package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import dev.chatbotroi.common.TableSchema.PeriodKind;
import java.util.List;

/** Table `job_runs`: one row per command run, with its reconciliation counts. */
public final class JobRunsTable {
  private JobRunsTable() {}

  public static final String RUN_ID = "run_id";

  public static final TableSchema TABLE = new TableSchema("job_runs", struct(
      str(RUN_ID), str("command"), ts("started_at"), ts("finished_at"), str("status"),
      date("from_date"), date("to_date"), lng("lines_read"), lng("events_accepted"),
      lng("duplicates"), lng("quarantined"), lng("crm_rows_read"), lng("crm_rows_quarantined"),
      str("error"),
      // after the contract's columns: event lines ingested for dates before the recomputed range
      lng("late_events")))
      .exported(List.of("run_id", "command"), null, PeriodKind.NONE, List.of(List.of("started_at")));
}
