package dev.chatbotroi.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chatbotroi.common.Faults;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.pipeline.Pipeline;
import dev.chatbotroi.testing.ChildJvm;
import dev.chatbotroi.testing.Runs;
import dev.chatbotroi.testing.SharedLake;
import dev.chatbotroi.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `run` killed with SIGKILL at a Delta write of each stage, then run again, gives the tables of a
 * clean run. The child JVM stops itself at the named write (test-only fault hook) and is killed there.
 * Killed in ingest, the run again is an ingest, and its tables equal a clean ingest's: every later
 * stage reads only those, so the rest of a run would compare equal too. Children killed after ingest
 * start from a copy of an ingested warehouse: their `run` finds every file ingested and goes straight
 * to the stage under test, and the run again is a whole `run`, compared with a clean run's exports.
 */
@org.junit.jupiter.api.Tag("pipeline")
class KillTest {

  @TempDir Path dir;

  /**
   * Before the write of ingest's events, after them before its file list (events and quarantine
   * committed, files not recorded), and metrics. The stages after ingest all write through the same
   * path, a whole-table Delta overwrite in one commit (conversations, metrics, the attribution
   * tables, experiments): a kill before that commit leaves the table as it was, and the re-run
   * rewrites it. One of them, metrics (the one with the most tables of its stage), stands for all;
   * each more point is a child JVM and a full re-run (about two minutes of suite). The two ingest
   * points are followed by an ingest only (about 20 s less each than a whole run and its exports).
   */
  static final List<String> KILL_POINTS = List.of("write:events", "write:_ingested_files", "write:metrics");

  /** The points after ingest: their children need not ingest first. */
  static final List<String> AFTER_INGEST = KILL_POINTS.subList(2, KILL_POINTS.size());

  @Test
  void killedAtEveryStageThenRerunEqualsACleanRun() throws Exception {
    // The shared small lake: its clean run and its ingested warehouse are made once per test JVM
    // and most likely already made by another test. What is tested is where a run dies, not how
    // much it reads; each kill point costs a child JVM and a re-run.
    Path lake = SharedLake.lake();
    Map<String, List<String>> clean = SharedLake.referenceExports();
    assertTrue(SharedLake.ingestedRows().keySet().containsAll(List.of("events", "quarantine", "leads", "deals",
        "_ingested_files")), SharedLake.ingestedRows().keySet().toString());

    for (String point : KILL_POINTS) {
      Path wh = dir.resolve("wh-" + point.replace(':', '-'));
      if (AFTER_INGEST.contains(point)) {
        SharedLake.ingestedCopy(wh);
      }
      Path marker = dir.resolve("marker-" + point.replace(':', '-'));
      Process p = ChildJvm.start(
          List.of("-D" + Faults.PROPERTY + "=" + point + "=pause", "-D" + Faults.MARKER + "=" + marker),
          "dev.chatbotroi.cli.Main",
          List.of("run", "--lake", lake.toString(), "--warehouse", wh.toString(), "--master", "local[2]",
              "--set", "pii.hash-key=" + TestSpark.HASH_KEY, "--set", "spark.shuffle-partitions=2"),
          dir.resolve("child-" + point.replace(':', '-') + ".log"));
      try {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (!Files.exists(marker)) {
          if (!p.isAlive()) {
            fail("the run ended (exit " + p.exitValue() + ") before " + point + ": "
                + Files.readString(dir.resolve("child-" + point.replace(':', '-') + ".log")));
          }
          if (System.nanoTime() > deadline) {
            fail("the run did not reach " + point + " in 5 minutes");
          }
          Thread.sleep(100);
        }
      } finally {
        ChildJvm.kill(p); // SIGKILL: no shutdown hook, no finally block of the child runs
      }
      assertEquals(137, p.exitValue(), "killed by SIGKILL at " + point);

      Tables again;
      if (AFTER_INGEST.contains(point)) {
        again = Runs.pipeline(lake, wh);
        assertEquals(clean, Runs.exported(again), "killed at " + point + ", then run again");
      } else {
        again = Runs.pipeline(lake, wh, null, Pipeline.INGEST, TestSpark.settings());
        assertEquals(SharedLake.ingestedRows(), Runs.rows(again, Runs.INGEST_OUTPUTS),
            "killed at " + point + ", then ingested again");
      }
      assertTrue(Runs.jobRuns(again).size() >= 1);
    }
  }
}
