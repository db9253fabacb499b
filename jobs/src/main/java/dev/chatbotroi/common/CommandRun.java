package dev.chatbotroi.common;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** Runs one command's body against a warehouse and logs it in `job_runs`, failed runs included. */
public final class CommandRun {
  private CommandRun() {}

  /** The work of a command, given the tables and its run id; returns the counts to log. */
  @FunctionalInterface
  public interface Body {
    JobRun.Counts run(Tables tables, String runId);
  }

  public static String newRunId(String command) {
    return command + "-" + Instant.now().toString().replaceAll("[^0-9]", "") + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Runs {@code body}; writes a `success` row, or a `failed` row with the error and rethrows. */
  public static JobRun.Counts logged(Tables tables, String command, LocalDate from, LocalDate to, Body body) {
    String runId = newRunId(command);
    Instant started = Instant.now();
    Tables tagged = tables.forRun(runId);
    try {
      JobRun.Counts counts = body.run(tagged, runId);
      JobRun.succeeded(runId, command, started, from, to, counts).record(tagged);
      return counts;
    } catch (Exception e) { // Scala code throws checked exceptions (IOException) undeclared
      try {
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        new JobRun(runId, command, started, Instant.now(), JobRun.FAILED, from, to, JobRun.Counts.NONE, error)
            .record(tagged);
      } catch (RuntimeException recordFailure) {
        e.addSuppressed(recordFailure);
      }
      throw CommandRun.<RuntimeException>sneaky(e);
    }
  }

  /** Rethrows any exception unchanged, so the CLI reports the original one. */
  @SuppressWarnings("unchecked")
  private static <T extends Exception> T sneaky(Exception e) throws T {
    throw (T) e;
  }
}
