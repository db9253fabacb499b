package dev.chatbotroi.common;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** One `job_runs` row: a command, its outcome and its reconciliation counts. */
public record JobRun(
    String runId, String command, Instant startedAt, Instant finishedAt, String status,
    LocalDate from, LocalDate to, Counts counts, String error) {

  /** Event-line and CRM-row counts of an ingest; zero for commands that read no input. */
  public record Counts(long linesRead, long eventsAccepted, long duplicates, long quarantined,
      long crmRowsRead, long crmRowsQuarantined, long lateEvents) {
    public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0);

    public Counts(long linesRead, long eventsAccepted, long duplicates, long quarantined,
        long crmRowsRead, long crmRowsQuarantined) {
      this(linesRead, eventsAccepted, duplicates, quarantined, crmRowsRead, crmRowsQuarantined, 0);
    }

    public Counts withLateEvents(long n) {
      return new Counts(linesRead, eventsAccepted, duplicates, quarantined, crmRowsRead, crmRowsQuarantined, n);
    }
  }

  /** The `status` of a command that finished, and of one that failed. */
  public static final String SUCCESS = "success";
  public static final String FAILED = "failed";

  /** The row of a command that finished now. */
  public static JobRun succeeded(String runId, String command, Instant startedAt, LocalDate from, LocalDate to,
      Counts counts) {
    return new JobRun(runId, command, startedAt, Instant.now(), SUCCESS, from, to, counts, null);
  }

  public Row toRow() {
    return RowFactory.create(runId, command, ts(startedAt), ts(finishedAt), status,
        from == null ? null : Date.valueOf(from), to == null ? null : Date.valueOf(to),
        counts.linesRead(), counts.eventsAccepted(), counts.duplicates(), counts.quarantined(),
        counts.crmRowsRead(), counts.crmRowsQuarantined(), error, counts.lateEvents());
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  /** Appends the row to `job_runs` without Spark (an ingest that found nothing new). */
  public void record(KernelTables kernel) {
    kernel.appendRow(JobRunsTable.TABLE, toRow(), "chatbot-roi"); // Kernel names itself before it
  }

  /** Appends the row to `job_runs`. */
  public void record(Tables tables) {
    tables.appendEvolving(JobRunsTable.TABLE,
        tables.spark().createDataFrame(List.of(toRow()), JobRunsTable.TABLE.schema()));
  }
}
