package dev.chatbotroi.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.chatbotroi.common.IngestLockTable;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.UserException;
import dev.chatbotroi.common.WriteConflict;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The warehouse's ingest lock: one row of `_ingest_lock` naming the run that is storing new lake
 * files. Taken by a Delta compare-and-set (a MERGE that loses to any concurrent commit), so of two
 * runs that find the same new files only one stores them; the other stops with a one-line message
 * and its retry finds the files recorded. A holder whose process is gone (same host, pid not
 * running) or that is older than {@link #STALE_AFTER} is taken over: a killed run never blocks.
 */
public final class IngestLock implements AutoCloseable {
  /** Longer than any ingest should take; only a holder on another host needs it to be stale. */
  static final Duration STALE_AFTER = Duration.ofHours(6);
  private static final String KEY = "ingest";

  private final Tables tables;
  private final String runId;
  private final PrintStream err;

  private IngestLock(Tables tables, String runId, PrintStream err) {
    this.tables = tables;
    this.runId = runId;
    this.err = err;
  }

  /** Takes the lock for {@code runId}, or throws a one-line {@link UserException} naming the holder. */
  public static IngestLock acquire(Tables tables, String runId, PrintStream err) {
    for (int attempt = 1; attempt <= 5; attempt++) {
      Row held = holder(tables);
      String expected = null;
      if (held != null) {
        if (!stale(held)) {
          throw new UserException("another ingest (run " + held.getString(1) + " on " + held.getString(2) + ", pid "
              + held.getLong(3) + ", since " + held.getTimestamp(4).toInstant() + ") is storing new files in this"
              + " warehouse; retry when it has finished");
        }
        expected = held.getString(1);
        err.println("ingest: taking over the ingest lock of run " + expected + " (its process is gone or it is older than "
            + STALE_AFTER.toHours() + " h)");
      }
      Column free = col("t.holder").isNull();
      Column replaceIf = expected == null ? free : free.or(col("t.holder").equalTo(lit(expected)));
      try {
        tables.compareAndSet(IngestLockTable.TABLE, tables.spark().createDataFrame(List.of(RowFactory.create(KEY,
            runId, host(), ProcessHandle.current().pid(), Timestamp.from(Instant.now()))),
            IngestLockTable.TABLE.schema()), IngestLockTable.LOCK, replaceIf);
      } catch (WriteConflict e) {
        continue; // another run changed the lock at the same moment: look again
      }
      Row now = holder(tables);
      if (now != null && runId.equals(now.getString(1))) {
        return new IngestLock(tables, runId, err);
      }
    }
    Row held = holder(tables);
    throw new UserException("another ingest" + (held == null ? "" : " (run " + held.getString(1) + ")")
        + " is storing new files in this warehouse; retry when it has finished");
  }

  /** Frees the lock if this run still holds it; a failure to free only delays the next run until it is stale. */
  @Override
  public void close() {
    try {
      tables.compareAndSet(IngestLockTable.TABLE, tables.spark().createDataFrame(
          List.of(RowFactory.create(KEY, null, null, null, null)), IngestLockTable.TABLE.schema()),
          IngestLockTable.LOCK, col("t.holder").equalTo(lit(runId)));
    } catch (RuntimeException e) {
      err.println("ingest: WARNING could not free the ingest lock (" + e.getMessage().lines().findFirst().orElse("")
          + "); the next run takes it over once this process has ended");
    }
  }

  /** The lock row when some run holds it, else null. */
  static Row holder(Tables tables) {
    if (!tables.exists(IngestLockTable.TABLE)) {
      return null;
    }
    List<Row> rows = tables.read(IngestLockTable.TABLE)
        .where(col(IngestLockTable.LOCK).equalTo(KEY).and(col("holder").isNotNull())).collectAsList();
    return rows.isEmpty() ? null : rows.get(0);
  }

  static boolean stale(Row held) {
    boolean here = host().equals(held.getString(2));
    long pid = held.isNullAt(3) ? -1 : held.getLong(3);
    if (here && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
      return true;
    }
    return held.getTimestamp(4).toInstant().plus(STALE_AFTER).isBefore(Instant.now());
  }

  public static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
