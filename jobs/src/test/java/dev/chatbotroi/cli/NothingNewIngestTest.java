package dev.chatbotroi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.JobRunsTable;
import dev.chatbotroi.common.KernelTables;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.ingest.NothingNew;
import dev.chatbotroi.testing.Files2;
import dev.chatbotroi.pipeline.Pipeline;
import dev.chatbotroi.testing.JobCounter;
import dev.chatbotroi.testing.Runs;
import dev.chatbotroi.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `ingest` with nothing new answers without Spark (no Spark job, a `job_runs` row written through
 * Delta Kernel that Spark reads and appends after); a new file goes through Spark, and so would a changed one.
 */
class NothingNewIngestTest {

  @TempDir Path dir;

  private String[] ingest(String... extra) {
    List<String> args = new ArrayList<>(List.of("ingest", "--lake", dir.resolve("lake").toString(),
        "--warehouse", dir.resolve("wh").toString(), "--set", "pii.hash-key=" + TestSpark.HASH_KEY,
        "--set", "spark.shuffle-partitions=2"));
    args.addAll(List.of(extra));
    return args.toArray(new String[0]);
  }

  /**
   * Runs the command with the process's stdout and stderr captured (the stage commands print there);
   * returns the Spark jobs it started.
   */
  private int jobsOf(String[] args, StringBuilder out, StringBuilder err) {
    ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
    ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    out.setLength(0);
    err.setLength(0);
    try (JobCounter jobs = JobCounter.start(TestSpark.session())) {
      int code;
      try {
        System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
        code = Main.execute(args, System.out, System.err);
      } finally {
        System.setOut(oldOut);
        System.setErr(oldErr);
      }
      out.append(capturedOut.toString(StandardCharsets.UTF_8));
      err.append(capturedErr.toString(StandardCharsets.UTF_8));
      assertEquals(0, code, "exit code; stderr: " + err);
      return jobs.byStage().values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  private List<Row> jobRuns() {
    return new Tables(TestSpark.session(), dir.resolve("wh").toString()).read(JobRunsTable.TABLE)
        .orderBy("started_at").collectAsList();
  }

  @Test
  void nothingNewIsAnsweredWithoutSparkAndLogged() throws Exception {
    Path lake = dir.resolve("lake");
    LakeGenerator.generate(lake, new LakeGenerator.Options(LocalDate.parse("2026-03-02"), 1, 10, 5L));
    int lakeFiles = dev.chatbotroi.ingest.LakeFiles.list(lake.toString(), TestSpark.hadoopConf(), java.util.Set.of(), false)
        .size();
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    assertTrue(jobsOf(ingest(), out, err) > 0, "the first ingest reads the lake in Spark");

    // eleven ingests of nothing new: no Spark job, one job_runs row each; the tenth makes job_runs
    // version 10, where Delta writes a checkpoint, which Spark must read back
    for (int i = 0; i < 11; i++) {
      String[] args = i == 0 ? ingest("--from", "2026-03-02", "--to", "2026-03-03") : ingest();
      assertEquals(0, jobsOf(args, out, err), "an ingest of nothing new starts no Spark job; stderr: " + err);
      assertTrue(err.toString().contains("nothing new: " + lakeFiles + " files already ingested, checked without Spark"),
          err.toString());
      assertTrue(out.toString().contains("ingest: 0 lines read, 0 accepted, 0 duplicates, 0 quarantined;")
          && out.toString().contains("files 0 new, " + lakeFiles + " already ingested, 0 changed"), out.toString());
    }
    assertTrue(Files.exists(dir.resolve("wh/job_runs/_delta_log/00000000000000000010.checkpoint.parquet")),
        "Kernel's checkpoint at version 10");

    // the row Spark's ingest writes when it finds nothing new: the same but for the run's own columns
    Runs.pipeline(lake, dir.resolve("wh"), null, Pipeline.INGEST, TestSpark.settings());
    List<Row> all = jobRuns();
    Row bySpark = all.get(all.size() - 1);
    Row byKernel = all.get(2);
    for (String c : JobRunsTable.TABLE.columns()) {
      if (!List.of(JobRunsTable.RUN_ID, "command", "started_at", "finished_at").contains(c)) {
        assertEquals((Object) bySpark.getAs(c), byKernel.getAs(c), c);
      }
    }
    List<Row> runs = all.subList(0, 12);
    assertEquals(13, all.size());
    assertEquals(13, all.stream().map(r -> r.getAs("run_id")).distinct().count());
    Row ranged = runs.get(1);
    assertEquals("ingest", ranged.getAs("command"));
    assertEquals("success", ranged.getAs("status"));
    assertEquals(java.sql.Date.valueOf("2026-03-02"), ranged.getAs("from_date"));
    assertEquals(java.sql.Date.valueOf("2026-03-03"), ranged.getAs("to_date"));
    for (Row r : runs.subList(1, 12)) {
      assertEquals(0L, (long) r.getAs("lines_read"));
      assertEquals(0L, (long) r.getAs("events_accepted"));
      java.sql.Timestamp started = r.getAs("started_at");
      java.sql.Timestamp finished = r.getAs("finished_at");
      assertTrue(!finished.before(started) && finished.getTime() - started.getTime() < 60_000, started + " " + finished);
      assertTrue(Math.abs(started.getTime() - System.currentTimeMillis()) < 600_000, "a timestamp of today: " + started);
    }

    // a new file: Spark ingests it, and its row follows Kernel's in the same table
    Path added = lake.resolve("events/dt=2026-03-09/part-late.ndjson");
    Files.createDirectories(added.getParent());
    try (var files = Files.walk(lake.resolve("events"))) {
      Files.copy(files.filter(f -> f.toString().endsWith(".ndjson")).findFirst().orElseThrow(), added);
    }
    assertTrue(jobsOf(ingest(), out, err) > 0, "a new file is read in Spark");
    Row last = jobRuns().get(13);
    assertTrue((long) last.getAs("lines_read") > 0, "lines read of the new file: " + last);

    // a changed file: the check leaves it to Spark's ingest, which warns that it is not re-read
    Files.setLastModifiedTime(added, FileTime.fromMillis(Files.getLastModifiedTime(added).toMillis() + 60_000));
    var conf = dev.chatbotroi.common.SparkSessions.hadoopConfiguration();
    assertTrue(NothingNew.check(lake.toString(), new KernelTables(conf, dir.resolve("wh").toString()),
        TestSpark.settings(), conf, System.nanoTime()).isEmpty(), "a changed file is not nothing new");
    assertEquals(Map.of("success", 14L), jobRuns().stream().collect(
        java.util.stream.Collectors.groupingBy(r -> (String) r.getAs("status"), java.util.stream.Collectors.counting())));
    Files2.deleteQuietly(dir.resolve("wh"));
  }
}
