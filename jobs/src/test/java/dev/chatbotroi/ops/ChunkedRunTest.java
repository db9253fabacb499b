package dev.chatbotroi.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.Faults;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Stage;
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
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backfill in weekly chunks, crashed part-way and re-run, equals the same range in one chunk. */
@org.junit.jupiter.api.Tag("pipeline")
class ChunkedRunTest {

  @TempDir Path dir;

  @Test
  void chunkedCrashedAndResumedEqualsOneChunk() throws Exception {
    Path lake = SharedLake.lake();
    LocalDate start = SharedLake.START;
    // two weekly chunks are enough to crash in the second and resume; each chunk more is a minute of suite
    Periods.Range range = new Periods.Range(start, start.plusDays(10));
    // The chunked stages and the weekly reports after them: attribution and experiments run once,
    // whole, after the chunks whatever the range, so a chunk cannot change them.
    List<Stage> stages = Runs.THROUGH_METRICS;

    SharedLake.ingestedCopy(dir.resolve("one"));
    Tables one = Runs.pipeline(lake, dir.resolve("one"), range, stages,
        TestSpark.settings("run.chunk-days=100"));

    // the backfill dies while writing the metrics of its second chunk
    Path chunkedWh = SharedLake.ingestedCopy(dir.resolve("chunked"));
    System.setProperty(Faults.PROPERTY, "write:metrics@2=throw");
    try {
      assertThrows(IllegalStateException.class, () -> Runs.pipeline(lake, chunkedWh, range, stages,
          TestSpark.settings("run.chunk-days=7")));
    } finally {
      System.clearProperty(Faults.PROPERTY);
      Faults.reset();
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Tables chunked = Runs.pipeline(lake, chunkedWh, range, stages, TestSpark.settings("run.chunk-days=7"),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    // 11 days + 3 days of look-back = 14 days: two chunks of 7 days
    List<String> progress = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("run: chunk")).toList();
    assertEquals(2, progress.size(), err.toString(StandardCharsets.UTF_8));
    assertTrue(progress.get(0).startsWith("run: chunk 1 of 2 (2026-02-27..2026-03-05) done: "), progress.get(0));
    assertTrue(progress.get(1).matches("run: chunk 2 of 2 \\(2026-03-06\\.\\.2026-03-12\\) done: \\d+ events so far, "
        + "[0-9.]+ s elapsed, about 0\\.0 s left"), progress.get(1));

    List<Row> runs = Runs.jobRuns(chunked);
    runs = runs.subList(runs.size() - 2, runs.size()); // before them, the shared lake's ingest
    assertEquals(List.of("failed", "success"), runs.stream().map(r -> (String) r.getAs("status")).toList());
    assertEquals(runs.get(1).<Long>getAs("events_accepted"), 0L, "the re-run found every file ingested");
    assertEquals(Runs.exported(one), Runs.exported(chunked));
  }
}
