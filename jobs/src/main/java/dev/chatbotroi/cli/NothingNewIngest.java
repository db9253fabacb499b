package dev.chatbotroi.cli;

import dev.chatbotroi.common.CommandRun;
import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.common.JobRunsTable;
import dev.chatbotroi.common.KernelTables;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.SparkSessions;
import dev.chatbotroi.common.UserException;
import dev.chatbotroi.ingest.IngestJob;
import dev.chatbotroi.ingest.NothingNew;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
      if (!KERNEL_SCHEMES.contains(scheme(warehouse, conf))) {
        return false; // an object store's commits need the log store Spark is configured with
      }
      kernel = new KernelTables(conf, warehouse.toString());
      result = NothingNew.check(lake.toString(), kernel, settings, conf, t0);
    } catch (UserException e) {
      return false; // the Spark ingest stops with the same line, and logs the failed run in job_runs
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("the check for new files without Spark failed ({}); starting Spark", e.toString());
      return false;
    }
    if (result.isEmpty()) {
      return false;
    }
    JobRun run = JobRun.succeeded(CommandRun.newRunId(command), command, started, range.from, range.to,
        JobRun.Counts.NONE);
    try {
      run.record(kernel);
    } catch (RuntimeException | LinkageError e) {
      if (!landed(kernel, run.runId())) {
        LOG.warn("job_runs could not be written without Spark ({}); starting Spark", e.toString());
        return false;
      }
      // the commit is in (a checkpoint or the answer failed after it): do not log the command twice
      LOG.warn("job_runs row {} written without Spark, then: {}", run.runId(), e.toString());
    }
    IngestJob.Result r = result.get();
    String line = String.format(Locale.ROOT, "ingest: %s, checked without Spark (%.1f s)",
        IngestJob.nothingNew(r.unchangedFiles()), r.seconds());
    err.println(line);
    LOG.info(line);
    out.println(r.summary());
    return true;
  }

  /** File systems whose Delta commits Kernel makes as Spark does (put-if-absent by rename or create). */
  private static final java.util.Set<String> KERNEL_SCHEMES = java.util.Set.of("file", "hdfs");

  private static String scheme(Path warehouse, Configuration conf) {
    java.net.URI uri = new org.apache.hadoop.fs.Path(warehouse.toString()).toUri();
    String scheme = uri.getScheme() != null ? uri.getScheme() : org.apache.hadoop.fs.FileSystem.getDefaultUri(conf).getScheme();
    return scheme == null ? "file" : scheme;
  }

  /** Whether `job_runs` holds the row of {@code runId}: after a failed append, whether the commit went in. */
  private static boolean landed(KernelTables kernel, String runId) {
    try {
      return kernel.read(JobRunsTable.TABLE, List.of(JobRunsTable.RUN_ID)).stream().anyMatch(v -> runId.equals(v[0]));
    } catch (RuntimeException | LinkageError e) {
      throw new IllegalStateException("cannot tell whether job_runs holds run " + runId + " (" + e + ")", e);
    }
  }

  /** The driver of a YARN cluster-mode application, where spark-submit runs this inside the application master. */
  private static boolean yarnClusterDriver() {
    return System.getProperty("spark.master", "").startsWith("yarn")
        && "cluster".equals(System.getProperty("spark.submit.deployMode"));
  }
}
