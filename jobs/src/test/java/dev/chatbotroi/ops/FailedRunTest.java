package dev.chatbotroi.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.Tables;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.testing.Runs;
import dev.chatbotroi.testing.SharedLake;
import dev.chatbotroi.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that fails part-way leaves a `failed` job_runs row with its error, and the next run completes it. */
@org.junit.jupiter.api.Tag("pipeline")
class FailedRunTest {

  @TempDir Path dir;

  static String[] run(Path lake, Path warehouse) {
    return new String[] {"run", "--lake", lake.toString(), "--warehouse", warehouse.toString(),
        "--master", "local[2]", "--set", "pii.hash-key=" + TestSpark.HASH_KEY, "--set", "spark.shuffle-partitions=2"};
  }

  @Test
  void aFailedStageIsLoggedAndTheNextRunSucceeds() throws Exception {
    Path lake = SharedLake.lake();
    // the lake is already ingested (what fails is a later stage; the copy saves the suite an ingest)
    Path wh = SharedLake.ingestedCopy(dir.resolve("wh"));
    // Something real in the way of the metrics stage: a plain file where its Delta table belongs.
    Files.writeString(wh.resolve("metrics"), "not a Delta table");

    Runs.Outcome failed = Runs.main(run(lake, wh));
    assertNotEquals(0, failed.code(), failed.out() + failed.err());
    String line = failed.errLines().stream().filter(l -> l.startsWith("chatbot-roi: ")).findFirst().orElseThrow();
    assertTrue(line.contains("metrics"), line);

    Tables tables = new Tables(TestSpark.session(), wh.toString());
    List<Row> runs = Runs.jobRuns(tables);
    assertEquals(2, runs.size(), runs + " / " + failed.err()); // the shared ingest, then this run
    Row f = runs.get(1);
    assertEquals("run", f.getAs("command"));
    assertEquals("failed", f.getAs("status"));
    String error = f.getAs("error");
    assertTrue(error != null && error.contains("metrics"), "error names the table: " + error);
    assertTrue(f.getAs("finished_at") != null);

    // the operator removes the obstacle; the next run completes and equals a clean run
    Files.delete(wh.resolve("metrics"));
    Runs.Outcome ok = Runs.main(run(lake, wh));
    assertEquals(0, ok.code(), ok.err());

    tables = new Tables(TestSpark.session(), wh.toString());
    runs = Runs.jobRuns(tables);
    assertEquals(List.of("success", "failed", "success"), runs.stream().map(r -> (String) r.getAs("status")).toList());
    assertTrue(runs.get(2).isNullAt(runs.get(2).fieldIndex("error")));
    assertFalse(Runs.exported(tables).isEmpty());
    assertEquals(SharedLake.referenceExports(), Runs.exported(tables),
        "after the failure, the re-run gives what a clean run gives");
  }
}
