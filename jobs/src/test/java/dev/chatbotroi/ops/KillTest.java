package dev.chatbotroi.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chatbotroi.pipeline.Pipeline;
import dev.chatbotroi.common.Faults;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.testing.ChildJvm;
import dev.chatbotroi.testing.Runs;
import dev.chatbotroi.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `run` killed with SIGKILL at a Delta write of each stage, then run again, gives the exports of a
 * clean run. The child JVM stops itself at the named write (test-only fault hook) and is killed there.
 */
class KillTest {

  @TempDir Path dir;

  /**
   * Before the write of ingest's events, after them before its file list (events and quarantine
   * committed, files not recorded), conversations, metrics, and attribution.
   */
  static final List<String> KILL_POINTS = List.of("write:events", "write:_ingested_files",
      "write:conversations", "write:metrics", "write:attribution_credits");

  @Test
  void killedAtEveryStageThenRerunEqualsACleanRun() throws Exception {
    Path lake = dir.resolve("lake");
    LakeGenerator.generate(lake, new LakeGenerator.Options(LocalDate.parse("2026-03-02"), 3, 4, 21L));
    Map<String, List<String>> clean = Runs.exported(Runs.pipeline(lake, dir.resolve("clean")));

    for (String point : KILL_POINTS) {
      Path wh = dir.resolve("wh-" + point.replace(':', '-'));
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

      Tables again = Runs.pipeline(lake, wh);
      assertEquals(clean, Runs.exported(again), "killed at " + point + ", then run again");
      assertTrue(Runs.jobRuns(again).size() >= 1);
    }
  }
}
