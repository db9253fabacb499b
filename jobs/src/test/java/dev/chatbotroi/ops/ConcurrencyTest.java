package dev.chatbotroi.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatbotroi.pipeline.Pipeline;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.testing.Runs;
import dev.chatbotroi.testing.SharedLake;
import dev.chatbotroi.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two runs at the same time, on disjoint ranges and on the same range, both finish, count nothing twice and leave what a full run writes. */
@org.junit.jupiter.api.Tag("pipeline")
class ConcurrencyTest {

  @TempDir Path dir;

  static final Periods.Range MARCH = new Periods.Range(LocalDate.parse("2026-03-09"), LocalDate.parse("2026-03-15"));
  static final Periods.Range APRIL = new Periods.Range(LocalDate.parse("2026-04-06"), LocalDate.parse("2026-04-12"));

  @Test
  void concurrentRunsBothSucceedAndEqualAFullRun() throws Exception {
    Path lake = SharedLake.lake();
    Settings settings = TestSpark.settings("run.lookback-days=0");
    // a lost commit is redone after a pause; a short one here: the race is what is tested, not the wait
    java.util.function.IntToLongFunction backoff = Pipeline.backoff(attempt -> 50L * attempt);
    try {
      // Backfills of two months run side by side over a warehouse a full run wrote (the usual
      // backfill). A ranged run leaves each period as a full run writes it, so the reference is the
      // shared full run itself. (On a warehouse without conversations the outcome would depend on
      // timing, not on a race: a ranged run recomputes the periods of stored conversations its
      // events re-link, and which of those are stored depends on which range wrote first.)
      java.util.Map<String, List<String>> ref = SharedLake.referenceExports();
      Path wh = SharedLake.referenceCopy(dir.resolve("wh"));
      Tables tables = new Tables(TestSpark.session(), wh.toString());
      assertBothRangesTogetherEqual(lake, wh, settings, ref, tables);
    } finally {
      Pipeline.backoff(backoff);
    }
  }

  private static void assertBothRangesTogetherEqual(Path lake, Path wh, Settings settings,
      java.util.Map<String, List<String>> ref, Tables tables) throws Exception {
    String log = together(lake, wh, settings, MARCH, APRIL);
    assertEquals(ref, Runs.exported(tables), log);

    // the same range twice at once: a run that loses a commit redoes its stage; nothing is counted twice
    log += together(lake, wh, settings, MARCH, MARCH);
    assertEquals(ref, Runs.exported(tables), log);
    List<Row> runs = Runs.jobRuns(tables);
    assertEquals(5, runs.size(), "the shared full run, then two ranges side by side, then the same range twice");
    runs.forEach(r -> assertEquals("success", r.getAs("status"), r.toString()));
    System.out.println("ConcurrencyTest: write conflicts retried: " + log.lines().filter(l -> l.contains("attempt")).count());
  }

  /** Runs both ranges in two threads; returns their stderr; fails if either failed. */
  static String together(Path lake, Path wh, Settings settings, Periods.Range a, Periods.Range b) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
    try {
      Future<?> fa = pool.submit(() -> Runs.pipeline(lake, wh, a, Pipeline.RUN, settings, ps));
      Future<?> fb = pool.submit(() -> Runs.pipeline(lake, wh, b, Pipeline.RUN, settings, ps));
      fa.get();
      fb.get();
    } finally {
      pool.shutdownNow();
    }
    return err.toString(StandardCharsets.UTF_8);
  }
}
