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
 * and its retry finds the files recorded. The holder renews a lease while it works (a heartbeat in
 * the lock row); a holder whose lease ran out, on any host, or whose process is gone (same host,
 * pid not running) is taken over: a killed run, even a driver on another cluster node, never blocks
 * for long.
 */
public final class IngestLock implements AutoCloseable {
  /** How often the holder renews its lease, and how long a lease lasts without renewal. */
  public record Timing(Duration heartbeat, Duration lease) {}

  /** Renewed every 30 s; ten missed renewals (five minutes) mean the holder is gone. */
  public static final Timing DEFAULT_TIMING = new Timing(Duration.ofSeconds(30), Duration.ofMinutes(5));
  private static final String KEY = "ingest";

  private final Tables tables;
  private final String runId;
  private final PrintStream err;
  private final Thread heartbeat;
  /** Counted down by close(): the heartbeat waits on it instead of sleeping, so it ends without an interrupt. */
  private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);

  private IngestLock(Tables tables, String runId, PrintStream err, Timing timing) {
    this.tables = tables;
    this.runId = runId;
    this.err = err;
    this.heartbeat = new Thread(() -> beat(timing), "ingest-lock-heartbeat");
    heartbeat.setDaemon(true);
    heartbeat.start();
  }

  /** Takes the lock for {@code runId}, or throws a one-line {@link UserException} naming the holder. */
  public static IngestLock acquire(Tables tables, String runId, PrintStream err) {
    return acquire(tables, runId, err, DEFAULT_TIMING);
  }

  /** {@link #acquire(Tables, String, PrintStream)} with another heartbeat and lease (tests). */
  public static IngestLock acquire(Tables tables, String runId, PrintStream err, Timing timing) {
    for (int attempt = 1; attempt <= 5; attempt++) {
      Row held = holder(tables);
      String expected = null;
      if (held != null) {
        if (!stale(held, timing.lease())) {
          throw new UserException("another ingest (run " + held.getString(1) + " on " + held.getString(2) + ", pid "
              + held.getLong(3) + ", since " + held.getTimestamp(4).toInstant() + ") is storing new files in this"
              + " warehouse; retry when it has finished");
        }
        expected = held.getString(1);
        err.println("ingest: taking over the ingest lock of run " + expected + " (its process is gone or its lease"
            + " was not renewed for " + timing.lease().toSeconds() + " s)");
      }
      Column free = col("t.holder").isNull();
      Column replaceIf = expected == null ? free : free.or(col("t.holder").equalTo(lit(expected)));
      try {
        Timestamp now = Timestamp.from(Instant.now());
        tables.compareAndSet(IngestLockTable.TABLE, tables.spark().createDataFrame(List.of(RowFactory.create(KEY,
            runId, host(), ProcessHandle.current().pid(), now, now)),
            IngestLockTable.TABLE.schema()), IngestLockTable.LOCK, replaceIf);
      } catch (WriteConflict e) {
        continue; // another run changed the lock at the same moment: look again
      }
      Row now = holder(tables);
      if (now != null && runId.equals(now.getString(1))) {
        return new IngestLock(tables, runId, err, timing);
      }
    }
    Row held = holder(tables);
    throw new UserException("another ingest" + (held == null ? "" : " (run " + held.getString(1) + ")")
        + " is storing new files in this warehouse; retry when it has finished");
  }

  /**
   * Renews the lease until the lock is closed; a missed renewal only shortens the lease left. Never
   * interrupted: an interrupt inside a Spark job is swallowed by the libraries below it, and a
   * renewal in flight simply finishes before close() goes on.
   */
  private void beat(Timing timing) {
    while (true) {
      try {
        if (closing.await(timing.heartbeat().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        Row held = holder(tables);
        if (held == null || !runId.equals(held.getString(1))) {
          return; // taken over (this run looked dead to another): the other run's lease now counts
        }
        tables.compareAndSet(IngestLockTable.TABLE, tables.spark().createDataFrame(List.of(RowFactory.create(KEY,
            runId, held.getString(2), held.getLong(3), held.getTimestamp(4), Timestamp.from(Instant.now()))),
            IngestLockTable.TABLE.schema()), IngestLockTable.LOCK, col("t.holder").equalTo(lit(runId)));
      } catch (RuntimeException e) {
        if (closing.getCount() == 0) {
          return; // closing: the renewal raced with it
        }
        err.println("ingest: WARNING could not renew the ingest lock (" + firstLine(e) + "); retrying");
      }
    }
  }

  private static String firstLine(RuntimeException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
  }

  /** Frees the lock if this run still holds it; a failure to free only delays the next run until it is stale. */
  @Override
  public void close() {
    closing.countDown();
    try {
      heartbeat.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      tables.compareAndSet(IngestLockTable.TABLE, tables.spark().createDataFrame(
          List.of(RowFactory.create(KEY, null, null, null, null, null)), IngestLockTable.TABLE.schema()),
          IngestLockTable.LOCK, col("t.holder").equalTo(lit(runId)));
    } catch (RuntimeException e) {
      err.println("ingest: WARNING could not free the ingest lock (" + firstLine(e)
          + "); the next run takes it over once its lease has run out");
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

  /** Gone from this host, or its lease not renewed within {@code lease} (a row of an older version: since it was taken). */
  static boolean stale(Row held, Duration lease) {
    boolean here = host().equals(held.getString(2));
    long pid = held.isNullAt(3) ? -1 : held.getLong(3);
    if (here && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
      return true;
    }
    Timestamp renewed = held.isNullAt(5) ? held.getTimestamp(4) : held.getTimestamp(5);
    return renewed.toInstant().plus(lease).isBefore(Instant.now());
  }

  public static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
