package dev.chatbotroi.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatbotroi.pipeline.Pipeline;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.testing.Runs;
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

/** Two runs at the same time, on disjoint ranges and on the same range, both finish and count nothing twice. */
class ConcurrencyTest {

  @TempDir Path dir;

  static final Periods.Range MARCH = new Periods.Range(LocalDate.parse("2026-03-09"), LocalDate.parse("2026-03-15"));
  static final Periods.Range APRIL = new Periods.Range(LocalDate.parse("2026-04-06"), LocalDate.parse("2026-04-12"));

  @Test
  void concurrentRunsBothSucceedAndEqualSequentialOnes() throws Exception {
    Path lake = dir.resolve("lake");
    LakeGenerator.generate(lake, new LakeGenerator.Options(LocalDate.parse("2026-03-02"), 42, 3, 9L));
    Settings settings = TestSpark.settings("run.lookback-days=0");

    // reference: the two ranges one after the other
    Runs.pipeline(lake, dir.resolve("ref"), null, Pipeline.INGEST, settings);
    Runs.pipeline(lake, dir.resolve("ref"), MARCH, Pipeline.RUN, settings);
    Tables ref = Runs.pipeline(lake, dir.resolve("ref"), APRIL, Pipeline.RUN, settings);

    // the lake is ingested once; then backfills of two months run side by side
    Path wh = dir.resolve("wh");
    Tables tables = Runs.pipeline(lake, wh, null, Pipeline.INGEST, settings);
    String log = together(lake, wh, settings, MARCH, APRIL);
    assertEquals(Runs.exported(ref), Runs.exported(tables), log);

    // the same range twice at once: a run that loses a commit redoes its stage; nothing is counted twice
    log += together(lake, wh, settings, MARCH, MARCH);
    assertEquals(Runs.exported(ref), Runs.exported(tables), log);
    List<Row> runs = Runs.jobRuns(tables);
    assertEquals(5, runs.size());
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
