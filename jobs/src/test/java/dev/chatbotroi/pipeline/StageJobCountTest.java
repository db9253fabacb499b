package dev.chatbotroi.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.testing.JobCounter;
import dev.chatbotroi.testing.Runs;
import dev.chatbotroi.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jobs each stage starts on a small lake, pinned: a stage that gains jobs (a second pass
 * over the same data, a count() that a commit's metrics already give) fails here. The fixed cost
 * of a run is mostly jobs, whatever the data size (docs/benchmarks.md).
 */
@org.junit.jupiter.api.Tag("pipeline")
class StageJobCountTest {

  @TempDir Path dir;

  @Test
  void eachStageStartsThePinnedNumberOfJobs() throws Exception {
    Path lake = dir.resolve("lake");
    LakeGenerator.generate(lake, new LakeGenerator.Options(LocalDate.parse("2026-03-02"), 2, 10, 3L));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Map<String, Integer> first;
    Map<String, Integer> writes;
    long t0 = System.nanoTime();
    try (JobCounter jobs = JobCounter.start(TestSpark.session())) {
      Runs.pipeline(lake, dir.resolve("wh"), null, Pipeline.RUN, TestSpark.settings(), new PrintStream(out, true));
      first = jobs.byStage();
      writes = jobs.byWrite();
    }
    double firstSeconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Integer> again;
    t0 = System.nanoTime();
    try (JobCounter jobs = JobCounter.start(TestSpark.session())) {
      Runs.pipeline(lake, dir.resolve("wh"), null, Pipeline.INGEST, TestSpark.settings());
      again = jobs.byStage();
    }
    double againSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("StageJobCountTest: run %.1f s, jobs %s%n  by write %s%n  ingest of nothing new %.1f s,"
        + " jobs %s%n", firstSeconds, first, writes, againSeconds, again);
    // the ingest lock's heartbeat renews it from a thread of the ingest stage, as often as the run
    // lasts: its writes are left out of the pinned count
    int lockJobs = writes.entrySet().stream().filter(e -> e.getKey().startsWith("write _ingest_lock"))
        .mapToInt(Map.Entry::getValue).sum();
    Map<String, Integer> measured = new java.util.TreeMap<>(first);
    measured.merge("ingest", -lockJobs, Integer::sum);
    assertEquals(PINNED.keySet(), measured.keySet(), "the stages of run");
    for (var e : PINNED.entrySet()) {
      int n = measured.get(e.getKey());
      assertTrue(n <= e.getValue(), e.getKey() + " started " + n + " Spark jobs, pinned at " + e.getValue()
          + ": a new pass over the data? (lower the pin when a change saves jobs)");
    }
    assertTrue(again.getOrDefault("ingest", 0) <= NOTHING_NEW,
        "an ingest of nothing new started " + again + ", pinned at " + NOTHING_NEW);
  }

  /**
   * Spark jobs per stage of a full run of the small lake (the ingest lock's writes left out), as
   * measured at the commit that pinned them; a stage that gains jobs fails the test. Counted as the
   * test JVMs run, without adaptive execution, where a query's jobs are its actions and broadcasts
   * and the count repeats exactly; with it, each shuffle stage is a job too and the counts varied
   * by one between runs (docs/benchmarks.md).
   */
  static final Map<String, Integer> PINNED = Map.of("(none)", 2, "ingest", 26, "conversations", 10,
      "metrics", 11, "reports", 21, "weekly-reports", 13, "attribute", 49, "experiments", 26);

  /** An ingest that finds every file already ingested: read the bookkeeping, nothing else. */
  static final int NOTHING_NEW = 3;
}
