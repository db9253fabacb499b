package dev.chatbotroi.cli;

import dev.chatbotroi.common.CommandRun;
import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.common.KernelTables;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.SparkSessions;
import dev.chatbotroi.common.UserException;
import dev.chatbotroi.ingest.IngestJob;
import dev.chatbotroi.ingest.NothingNew;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The `ingest` command when the lake holds nothing new: checked, logged in `job_runs` and reported
 * without starting Spark, which costs more than the check itself (docs/operations.md); grain: one
 * command. When it cannot tell, or the check fails, the command runs as usual in Spark.
 */
final class NothingNewIngest {
  private NothingNewIngest() {}

  private static final Logger LOG = LoggerFactory.getLogger(NothingNewIngest.class);

  /** Whether the command is done: true when there was nothing new and its `job_runs` row is written. */
  static boolean done(String command, Path lake, Path warehouse, Settings settings, RangeOptions range,
      PrintStream out, PrintStream err) {
    if (yarnClusterDriver()) {
      return false; // YARN's application master waits for a Spark context: this driver must start one
    }
    long t0 = System.nanoTime();
    Instant started = Instant.now();
    Optional<IngestJob.Result> result;
    KernelTables kernel;
    try {
      Configuration conf = SparkSessions.hadoopConfiguration();
      kernel = new KernelTables(conf, warehouse.toString());
      result = NothingNew.check(lake.toString(), kernel, settings, conf, t0);
    } catch (UserException e) {
      throw e; // the lake is missing or unreadable: the ingest would stop with the same line
    } catch (RuntimeException | LinkageError e) {
      LOG.info("the check for new files without Spark did not answer ({}); starting Spark", e.toString());
      return false;
    }
    if (result.isEmpty()) {
      return false;
    }
    JobRun run = new JobRun(CommandRun.newRunId(command), command, started, Instant.now(), "success", range.from,
        range.to, JobRun.Counts.NONE, null);
    try {
      run.record(kernel);
    } catch (RuntimeException e) {
      LOG.info("job_runs could not be written without Spark ({}); starting Spark", e.toString());
      return false;
    }
    IngestJob.Result r = result.get();
    err.println(String.format(Locale.ROOT, "ingest: %s%d files already ingested, checked without Spark (%.1f s)",
        IngestJob.NOTHING_NEW, r.unchangedFiles(), r.seconds()));
    out.println(r.summary());
    return true;
  }

  /** The driver of a YARN cluster-mode application, where spark-submit runs this inside the application master. */
  private static boolean yarnClusterDriver() {
    return System.getProperty("spark.master", "").startsWith("yarn")
        && "cluster".equals(System.getProperty("spark.submit.deployMode"));
  }
}
