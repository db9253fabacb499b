package dev.chatbotroi;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.pipeline.Pipeline;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.testing.DataFrameAssert;
import dev.chatbotroi.testing.Files2;
import dev.chatbotroi.testing.Runs;
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

/** Daily runs: late events within run.lookback-days are recomputed; older ones are stored, counted, and wait for a re-run. */
@org.junit.jupiter.api.Tag("pipeline")
class LateDataTest {

  @TempDir Path dir;

  /** Only metrics and the job log are read here: the stages after metrics would add a minute of suite. */
  static final List<dev.chatbotroi.common.Stage> THROUGH_METRICS = Runs.THROUGH_METRICS;

  static final LocalDate FIRST = LocalDate.parse("2026-03-02");

  private static List<String> day(Tables tables, LocalDate d) {
    return DataFrameAssert.sortedText(tables.read(MetricsTable.TABLE)
        .where(col("period_grain").equalTo("day").and(col("period_start").equalTo(java.sql.Date.valueOf(d)))));
  }

  @Test
  void lateEventsInsideTheLookbackAreRecomputedOlderOnesWaitForTheirRange() {
    Path lake = dir.resolve("lake");
    for (int i = 0; i < 10; i++) { // 2..11 March
      LocalDate d = FIRST.plusDays(i);
      Files2.write(lake.resolve("events/dt=" + d + "/part-0.ndjson"), RangedRunTest.day(d, "", i % 2 == 0));
    }
    Tables wh = Runs.pipeline(lake, dir.resolve("wh"), null, THROUGH_METRICS, TestSpark.settings());
    LocalDate today = LocalDate.parse("2026-03-12");
    LocalDate recent = today.minusDays(2); // inside the 3-day look-back
    LocalDate old = LocalDate.parse("2026-03-03"); // outside it
    List<String> recentBefore = day(wh, recent);
    List<String> oldBefore = day(wh, old);

    // today's file arrives with late events of two earlier days (5 events each)
    Files2.write(lake.resolve("events/dt=" + today + "/part-0.ndjson"), RangedRunTest.day(today, "", true));
    Files2.write(lake.resolve("events/dt=" + today + "/late.ndjson"),
        concat(RangedRunTest.day(recent, "-late", true), RangedRunTest.day(old, "-late", true)));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Runs.pipeline(lake, dir.resolve("wh"), new Periods.Range(today, today), THROUGH_METRICS, TestSpark.settings(),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    Row daily = last(wh);
    assertEquals(5L, daily.<Long>getAs("late_events"), "the five events of 3 March are late");
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("run: WARNING 5 late events for dates before 2026-03-09"
        + " (the oldest 2026-03-03)"), err.toString(StandardCharsets.UTF_8));
    assertEquals(5L, wh.read(EventsTable.TABLE).where(col("event_id").startsWith("c-" + old + "-late")).count(),
        "late events are stored");

    // a clean full run of the same lake is the reference
    Tables full = Runs.pipeline(lake, dir.resolve("full"), null, THROUGH_METRICS, TestSpark.settings());
    assertNotEquals(recentBefore, day(full, recent), "the late conversation changes its day");
    assertEquals(day(full, recent), day(wh, recent), "inside the look-back: recomputed");
    assertEquals(day(full, today), day(wh, today));
    assertEquals(oldBefore, day(wh, old), "outside the look-back: not yet recomputed");
    assertNotEquals(day(full, old), day(wh, old));

    // re-running that range picks them up; then the warehouse equals the full run
    Runs.pipeline(lake, dir.resolve("wh"), new Periods.Range(old, old), THROUGH_METRICS,
        TestSpark.settings("run.lookback-days=0"));
    assertEquals(0L, last(wh).<Long>getAs("late_events"));
    assertEquals(DataFrameAssert.sortedText(full.read(MetricsTable.TABLE)),
        DataFrameAssert.sortedText(wh.read(MetricsTable.TABLE)));
  }

  private static Row last(Tables wh) {
    List<Row> runs = Runs.jobRuns(wh);
    return runs.get(runs.size() - 1);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
