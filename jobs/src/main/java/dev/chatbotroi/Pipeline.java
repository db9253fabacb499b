package dev.chatbotroi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import dev.chatbotroi.attribution.AttributionJob;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.WriteConflict;
import dev.chatbotroi.conversations.ConversationsJob;
import dev.chatbotroi.ingest.IngestJob;
import dev.chatbotroi.metrics.GoldJob;
import dev.chatbotroi.metrics.Metrics;
import dev.chatbotroi.metrics.MetricsJob;
import java.io.PrintStream;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.sql.Row;

/** The stages of `run` in order; each reads only the tables the stages before it wrote. */
public final class Pipeline {
  private Pipeline() {}

  /** A stage of `run`, also runnable alone as its own command. */
  public enum Stage { INGEST, CONVERSATIONS, METRICS, ATTRIBUTE }

  public static final List<Stage> RUN =
      List.of(Stage.INGEST, Stage.CONVERSATIONS, Stage.METRICS, Stage.ATTRIBUTE);

  /**
   * Runs {@code stages} in order; returns the ingest counts (zero when ingest is not among them).
   * {@code range} null means every date of every input. With a range and ingest, the range is
   * first extended back by {@code run.lookback-days} (late data of the previous days), and events
   * this run stored for dates before that are counted as late. The ranged stages then run in
   * chunks of {@code run.chunk-days}, with a progress line per chunk on {@code err}; attribution
   * runs once, whole.
   */
  public static JobRun.Counts run(Tables tables, List<Stage> stages, String lake, Settings settings,
      String hashKey, String runId, Periods.Range range, PrintStream out, PrintStream err) {
    JobRun.Counts counts = JobRun.Counts.NONE;
    List<Stage> ranged = new ArrayList<>();
    for (Stage stage : stages) {
      if (stage == Stage.CONVERSATIONS || stage == Stage.METRICS) {
        ranged.add(stage);
      }
    }
    if (stages.contains(Stage.INGEST)) {
      IngestJob.Result r = IngestJob.run(tables, lake, settings, hashKey, runId, err);
      out.println(r.summary());
      counts = r.counts();
      if (range != null) {
        Periods.Range recompute = new Periods.Range(range.from().minusDays(settings.run().lookbackDays()), range.to());
        counts = counts.withLateEvents(lateEvents(tables, settings, runId, recompute, err));
        range = recompute;
      }
    }
    if (!ranged.isEmpty()) {
      if (range == null) {
        runStages(tables, ranged, settings, null, out, err);
      } else {
        runChunks(tables, ranged, settings, range, out, err);
      }
    }
    if (stages.contains(Stage.ATTRIBUTE)) {
      runStages(tables, List.of(Stage.ATTRIBUTE), settings, null, out, err);
    }
    return counts;
  }

  /** The ranged stages chunk by chunk; each chunk replaces its own periods, so a re-run redoes it exactly. */
  static void runChunks(Tables tables, List<Stage> stages, Settings settings, Periods.Range range,
      PrintStream out, PrintStream err) {
    List<Periods.Range> chunks = range.chunks(settings.run().chunkDays());
    long t0 = System.nanoTime();
    long events = 0;
    for (int k = 0; k < chunks.size(); k++) {
      Periods.Range chunk = chunks.get(k);
      runStages(tables, stages, settings, chunk, out, err);
      events += eventsIn(tables, settings, chunk);
      double elapsed = (System.nanoTime() - t0) / 1e9;
      double left = elapsed / (k + 1) * (chunks.size() - k - 1);
      err.println(String.format(Locale.ROOT,
          "run: chunk %d of %d (%s..%s) done: %d events so far, %.1f s elapsed, about %.1f s left",
          k + 1, chunks.size(), chunk.from(), chunk.to(), events, elapsed, left));
    }
  }

  /** Attempts of a stage that lost a write conflict to a concurrent run; the stages after ingest are idempotent. */
  static final int ATTEMPTS = 4;

  /**
   * Runs the stages over one range. The conversations stage may stretch it: a conversation it
   * rebuilt can start before the range (a visitor who came back), and the metrics after it then
   * recompute that conversation's periods too.
   */
  private static void runStages(Tables tables, List<Stage> stages, Settings settings, Periods.Range range,
      PrintStream out, PrintStream err) {
    Periods.Range[] effective = {range};
    for (Stage stage : stages) {
      for (int attempt = 1; ; attempt++) {
        try {
          effective[0] = runStage(tables, stage, settings, effective[0], out);
          break;
        } catch (WriteConflict e) {
          if (attempt == ATTEMPTS) {
            throw e;
          }
          // a concurrent run committed first: this stage replaces its periods whole, so redo it
          long wait = 1000L * attempt + ThreadLocalRandom.current().nextLong(1000);
          err.println(String.format(Locale.ROOT, "%s: %s (attempt %d of %d, again in %.1f s)",
              stage.name().toLowerCase(Locale.ROOT), e.getMessage(), attempt, ATTEMPTS, wait / 1e3));
          try {
            Thread.sleep(wait);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw e;
          }
        }
      }
    }
  }

  /** Runs one stage; returns the range the stages after it cover (the same one, or a stretched one). */
  private static Periods.Range runStage(Tables tables, Stage stage, Settings settings, Periods.Range range,
      PrintStream out) {
    {
      long t0 = System.nanoTime();
      String what;
      Periods.Range next = range;
      switch (stage) {
        case CONVERSATIONS -> {
          ConversationsJob.Result r = ConversationsJob.run(tables, settings, range);
          next = r.recompute();
          what = r.rows() + " conversations" + (next == null || next.equals(range) ? ""
              : " (periods " + next.from() + ".." + next.to() + " to recompute)");
        }
        case METRICS -> {
          // one set of inputs for metrics and the gold tables beside them
          MetricsJob.Inputs in = MetricsJob.Inputs.read(tables, settings, range);
          what = MetricsJob.run(tables, settings, range, in) + " metric rows, "
              + GoldJob.run(tables, settings, range, in);
        }
        case ATTRIBUTE -> what = AttributionJob.run(tables, settings);
        default -> throw new IllegalStateException(stage.name());
      }
      out.println(String.format(Locale.ROOT, "%s: %s%s (%.1f s)", stage.name().toLowerCase(Locale.ROOT), what,
          range == null ? "" : " for " + range.from() + ".." + range.to(), (System.nanoTime() - t0) / 1e9));
      return next;
    }
  }

  /** Stored events whose reporting date falls in the range (the UTC partitions around it are read). */
  static long eventsIn(Tables tables, Settings settings, Periods.Range range) {
    return tables.read(EventsTable.TABLE)
        .where(col(EventsTable.EVENT_DATE).between(Date.valueOf(range.from().minusDays(1)),
            Date.valueOf(range.to().plusDays(1))))
        .where(Periods.localDate(col(EventsTable.EVENT_TS), settings)
            .between(lit(Date.valueOf(range.from())), lit(Date.valueOf(range.to()))))
        .count();
  }

  /**
   * Events this run stored for dates before the recomputed range: they are kept, but their periods
   * are only recomputed when a run covers them, which the warning says how to do.
   */
  static long lateEvents(Tables tables, Settings settings, String runId, Periods.Range recompute, PrintStream err) {
    Row r = tables.read(EventsTable.TABLE)
        .where(col("run_id").equalTo(runId))
        .select(Periods.localDate(col(EventsTable.EVENT_TS), settings).as("d"))
        .where(col("d").lt(lit(Date.valueOf(recompute.from()))))
        .agg(count(lit(1)), min("d")).first();
    long late = r.getLong(0);
    if (late > 0) {
      err.println("run: WARNING " + late + " late events for dates before " + recompute.from()
          + " (the oldest " + r.get(1) + ") were stored but their periods not recomputed; run --from "
          + r.get(1) + " --to " + recompute.from().minusDays(1) + " to include them");
    }
    return late;
  }
}
