package dev.chatbotroi.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    assertEquals(Map.of(), Map.of(), "pinned after measuring");
  }
}
