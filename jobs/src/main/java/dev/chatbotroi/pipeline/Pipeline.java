package dev.chatbotroi.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.chatbotroi.attribution.AttributionStage;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.Stage;
import dev.chatbotroi.common.StageContext;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.WriteConflict;
import dev.chatbotroi.conversations.ConversationsStage;
import dev.chatbotroi.experiments.ExperimentsStage;
import dev.chatbotroi.ingest.IngestStage;
import dev.chatbotroi.metrics.MetricsStage;
import dev.chatbotroi.metrics.ReportsStage;
import dev.chatbotroi.metrics.WeeklyReportsStage;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a list of stages in order, each reading only what the stages before it wrote: the first
 * (ingest) once, the chunked ones chunk by chunk over the range, the others once; grain: one command.
 */
public final class Pipeline {
  private Pipeline() {}

  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  public static final List<Stage> INGEST = List.of(new IngestStage());
  public static final List<Stage> CONVERSATIONS = List.of(new ConversationsStage());
  /** The `metrics` command: metrics, then the reports beside them and the weekly ones from them. */
  public static final List<Stage> METRICS = List.of(new MetricsStage(), new ReportsStage(), new WeeklyReportsStage());
  public static final List<Stage> ATTRIBUTE = List.of(new AttributionStage());
  public static final List<Stage> EXPERIMENTS = List.of(new ExperimentsStage());

  /** `run`: every stage, in order. */
  public static final List<Stage> RUN = concat(INGEST, CONVERSATIONS, METRICS, ATTRIBUTE, EXPERIMENTS);

  @SafeVarargs
  static List<Stage> concat(List<Stage>... parts) {
    List<Stage> out = new ArrayList<>();
    for (List<Stage> p : parts) {
      out.addAll(p);
    }
    return List.copyOf(out);
  }

  /**
   * Runs {@code stages}; returns the ingest counts (zero without ingest). {@code range} null means
   * every date of every input. A stage may stretch the range for those after it (ingest's look-back,
   * a conversation that started before it). Chunked stages work through the range in chunks of
   * `run.chunk-days`, with a progress line per chunk on the context's err.
   */
  public static JobRun.Counts run(StageContext context, List<Stage> stages, Periods.Range range) {
    JobRun.Counts counts = JobRun.Counts.NONE;
    List<Stage> chunked = new ArrayList<>();
    for (Stage stage : stages) {
      if (stage.scope() == Stage.Scope.CHUNKED) {
        chunked.add(stage);
        continue;
      }
      runChunked(context, chunked, range);
      chunked.clear();
      Stage.Outcome o = runStage(context, stage, range);
      if (o.counts() != null) {
        counts = o.counts();
      }
      if (stage.scope() == Stage.Scope.FIRST) {
        range = o.next();
      }
    }
    runChunked(context, chunked, range);
    return counts;
  }

  /** The chunked stages chunk by chunk; each chunk replaces its own periods, so a re-run redoes it exactly. */
  static void runChunked(StageContext c, List<Stage> stages, Periods.Range range) {
    if (stages.isEmpty()) {
      return;
    }
    if (range == null) {
      runInOrder(c, stages, null);
      return;
    }
    List<Periods.Range> chunks = range.chunks(c.settings().run().chunkDays());
    long t0 = System.nanoTime();
    long events = 0;
    for (int k = 0; k < chunks.size(); k++) {
      Periods.Range chunk = chunks.get(k);
      runInOrder(c, stages, chunk);
      events += eventsIn(c.tables(), c.settings(), chunk);
      double elapsed = (System.nanoTime() - t0) / 1e9;
      double left = elapsed / (k + 1) * (chunks.size() - k - 1);
      c.err().println(String.format(Locale.ROOT,
          "run: chunk %d of %d (%s..%s) done: %d events so far, %.1f s elapsed, about %.1f s left",
          k + 1, chunks.size(), chunk.from(), chunk.to(), events, elapsed, left));
    }
  }

  /** Stages over one range, each over the range the one before it left (the conversations stage may stretch it). */
  private static void runInOrder(StageContext c, List<Stage> stages, Periods.Range range) {
    Periods.Range current = range;
    for (Stage stage : stages) {
      current = runStage(c, stage, current).next();
    }
  }

  /** Attempts of a stage that lost a write conflict to a concurrent run; the stages after ingest are idempotent. */
  static final int ATTEMPTS = 4;

  /** The pause before attempt n + 1: 1–2 s, then 2–3 s, 3–4 s, so two runs do not collide again. */
  private static volatile java.util.function.IntToLongFunction backoffMillis =
      attempt -> 1000L * attempt + ThreadLocalRandom.current().nextLong(1000);

  /** Replaces the pause between attempts (a test of conflicts need not wait seconds); returns the old one. */
  public static java.util.function.IntToLongFunction backoff(java.util.function.IntToLongFunction millis) {
    java.util.function.IntToLongFunction old = backoffMillis;
    backoffMillis = millis;
    return old;
  }

  /** Runs one stage under its Spark job group, redoing it when a concurrent run won a write conflict. */
  private static Stage.Outcome runStage(StageContext c, Stage stage, Periods.Range range) {
    for (int attempt = 1; ; attempt++) {
      try {
        return runOnce(c, stage, range);
      } catch (WriteConflict e) {
        if (attempt == ATTEMPTS || stage.scope() == Stage.Scope.FIRST) {
          throw e;
        }
        // a concurrent run committed first: this stage replaces its periods whole, so redo it
        long wait = backoffMillis.applyAsLong(attempt);
        c.err().println(String.format(Locale.ROOT, "%s: %s (attempt %d of %d, again in %.1f s)",
            stage.name(), e.getMessage(), attempt, ATTEMPTS, wait / 1e3));
        try {
          Thread.sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static Stage.Outcome runOnce(StageContext c, Stage stage, Periods.Range range) {
    long t0 = System.nanoTime();
    String scope = range == null ? "" : " for " + range.from() + ".." + range.to();
    SparkContext sc = c.tables().spark().sparkContext();
    // on the Spark UI every job of the stage carries its name, and the table write its own description
    sc.setJobGroup("chatbot-roi:" + stage.name(), stage.name() + scope, false);
    try {
      Stage.Outcome o = stage.run(c, range);
      String line = String.format(Locale.ROOT, "%s: %s%s (%.1f s)", stage.name(), o.summary(),
          stage.scope() == Stage.Scope.FIRST ? "" : scope, (System.nanoTime() - t0) / 1e9);
      c.out().println(stage.scope() == Stage.Scope.FIRST ? o.summary() : line);
      LOG.info("{} done{} in {} ms", stage.name(), scope, (System.nanoTime() - t0) / 1_000_000);
      return o;
    } finally {
      sc.clearJobGroup();
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
}
