package dev.chatbotroi.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.apache.spark.sql.functions.lit;

import dev.chatbotroi.pipeline.Pipeline;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.IngestLockTable;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.UserException;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.ingest.IngestLock;
import dev.chatbotroi.testing.Runs;
import dev.chatbotroi.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two runs that find the same new lake files never both store them: the ingest lock. */
@org.junit.jupiter.api.Tag("pipeline")
class IngestLockTest {
  private static final List<dev.chatbotroi.common.Stage> INGEST = Pipeline.INGEST;
  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

  @TempDir static Path dir;
  static Path lake;
  static Settings settings;
  static long expectedEvents;

  @BeforeAll
  static void lakeAndReference() throws Exception {
    // a small lake of its own: the lock does not care how many lines the files hold, and every test
    // here ingests it two or three times
    lake = dir.resolve("lake");
    LakeGenerator.generate(lake, new LakeGenerator.Options(LocalDate.parse("2026-03-02"), 3, 15, 11L));
    settings = TestSpark.settings();
    // what one ingest of the lake stores
    expectedEvents = Runs.pipeline(lake, dir.resolve("ref"), null, INGEST, settings).read(EventsTable.TABLE).count();
    assertTrue(expectedEvents > 100, "events: " + expectedEvents);
  }

  @Test
  void aLiveHolderStopsTheSecondIngestWithOneLineAndItsRetryStoresEverythingOnce() {
    Path wh = dir.resolve("held");
    Tables tables = new Tables(TestSpark.session(), wh.toString());
    try (IngestLock held = IngestLock.acquire(tables, "run-that-holds", QUIET)) {
      UserException e = assertThrows(UserException.class, () -> Runs.pipeline(lake, wh, null, INGEST, settings));
      assertTrue(e.getMessage().startsWith("another ingest (run run-that-holds on " + IngestLock.host() + ", pid "
          + ProcessHandle.current().pid()), e.getMessage());
      assertTrue(e.getMessage().endsWith("is storing new files in this warehouse; retry when it has finished"));
      assertEquals(1, e.getMessage().lines().count());
      assertEquals(0, tables.read(EventsTable.TABLE).count(), "the stopped run stored nothing");
    }
    Runs.pipeline(lake, wh, null, INGEST, settings);
    assertStoredOnce(tables);
    assertEquals(List.of("failed", "success"), Runs.jobRuns(tables).stream().map(r -> r.<String>getAs("status")).sorted().toList());
    assertNull(holderOf(tables), "the lock is free after the run");
  }

  @Test
  void aHolderWhoseProcessIsGoneIsTakenOver() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path wh = dir.resolve("stale");
    Tables tables = new Tables(TestSpark.session(), wh.toString());
    plant(tables, "killed-run", IngestLock.host(), gone.pid(), Instant.now());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Runs.pipeline(lake, wh, null, INGEST, settings, new PrintStream(err, true));
    assertTrue(err.toString().contains("taking over the ingest lock of run killed-run"), err.toString());
    assertStoredOnce(tables);
    assertNull(holderOf(tables));
  }

  @Test
  void twoIngestsOfTheSameNewFilesAtOnceStoreThemOnce() throws Exception {
    Path wh = dir.resolve("together");
    Tables tables = new Tables(TestSpark.session(), wh.toString());
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<String>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      runs.add(pool.submit(() -> {
        go.await();
        try {
          Runs.pipeline(lake, wh, null, INGEST, settings);
          return "ok";
        } catch (UserException e) {
          return e.getMessage();
        }
      }));
    }
    go.countDown();
    List<String> outcomes = new ArrayList<>();
    for (Future<String> f : runs) {
      outcomes.add(f.get());
    }
    pool.shutdown();
    for (String o : outcomes) {
      assertTrue(o.equals("ok") || o.startsWith("another ingest"), o);
    }
    if (outcomes.contains("ok") && outcomes.stream().anyMatch(o -> !o.equals("ok"))) {
      Runs.pipeline(lake, wh, null, INGEST, settings); // the retry of the one that was stopped
    }
    assertStoredOnce(tables);
    System.out.println("IngestLockTest: two ingests at once -> " + outcomes);
  }

  @Test
  void aHolderOnAnotherHostIsTakenOverOnlyOnceItsLeaseRanOut() {
    Tables tables = new Tables(TestSpark.session(), dir.resolve("lease").toString());
    // a driver on another node that renewed its lease a minute ago still holds the lock
    plant(tables, "run-elsewhere", "node-7.cluster", 4242L, Instant.now().minusSeconds(60));
    UserException held = assertThrows(UserException.class, () -> IngestLock.acquire(tables, "mine", QUIET).close());
    assertTrue(held.getMessage().startsWith("another ingest (run run-elsewhere on node-7.cluster"), held.getMessage());
    // ten minutes without a renewal: its driver was killed, whatever host it ran on
    plant(tables, "run-elsewhere", "node-7.cluster", 4242L, Instant.now().minusSeconds(600));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (IngestLock lock = IngestLock.acquire(tables, "mine", new PrintStream(err, true))) {
      assertEquals("mine", holderOf(tables).getString(1));
    }
    assertTrue(err.toString().contains("taking over the ingest lock of run run-elsewhere"), err.toString());
    assertNull(holderOf(tables));
  }

  @Test
  void theHolderRenewsItsLeaseWhileItWorks() throws Exception {
    Tables tables = new Tables(TestSpark.session(), dir.resolve("renew").toString());
    IngestLock.Timing fast = new IngestLock.Timing(java.time.Duration.ofMillis(200), java.time.Duration.ofMinutes(5));
    try (IngestLock lock = IngestLock.acquire(tables, "working", QUIET, fast)) {
      Row first = holderOf(tables);
      long deadline = System.nanoTime() + 60_000_000_000L;
      Row later = first;
      while (later.getTimestamp(5).equals(first.getTimestamp(5)) && System.nanoTime() < deadline) {
        Thread.sleep(200);
        later = holderOf(tables);
      }
      assertTrue(later.getTimestamp(5).after(first.getTimestamp(5)), "heartbeat_at moved on: " + later);
      assertEquals(first.getTimestamp(4), later.getTimestamp(4), "acquired_at stays");
    }
    assertNull(holderOf(tables), "closing stops the heartbeat and frees the lock");
  }

  /** Writes a lock row as a run on {@code host} would have, last renewed at {@code renewed}. */
  private static void plant(Tables tables, String run, String host, long pid, Instant renewed) {
    tables.compareAndSet(IngestLockTable.TABLE, tables.spark().createDataFrame(List.of(RowFactory.create("ingest",
        run, host, pid, Timestamp.from(renewed.minusSeconds(3600)), Timestamp.from(renewed))),
        IngestLockTable.TABLE.schema()), IngestLockTable.LOCK, lit(true));
  }

  private static void assertStoredOnce(Tables tables) {
    var events = tables.read(EventsTable.TABLE);
    assertEquals(expectedEvents, events.count(), "every event stored");
    assertEquals(expectedEvents, events.select("event_id").distinct().count(), "no event stored twice");
  }

  private static Row holderOf(Tables tables) {
    List<Row> held = tables.read(IngestLockTable.TABLE).where("holder IS NOT NULL").collectAsList();
    return held.isEmpty() ? null : held.get(0);
  }
}
