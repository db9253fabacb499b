package dev.chatbotroi;

import dev.chatbotroi.attribution.AttributionJob;
import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.conversations.ConversationsJob;
import dev.chatbotroi.ingest.IngestJob;
import dev.chatbotroi.metrics.GoldJob;
import dev.chatbotroi.metrics.MetricsJob;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The stages of `run` in order; each reads only the tables the stages before it wrote. */
public final class Pipeline {
  private Pipeline() {}

  /** A stage of `run`, also runnable alone as its own command. */
  public enum Stage { INGEST, CONVERSATIONS, METRICS, ATTRIBUTE }

  public static final List<Stage> RUN =
      List.of(Stage.INGEST, Stage.CONVERSATIONS, Stage.METRICS, Stage.ATTRIBUTE);

  /**
   * Runs {@code stages} in order; returns the ingest counts (zero when ingest is not among them).
   * {@code range} null means every date of every input.
   */
  public static JobRun.Counts run(Tables tables, List<Stage> stages, String lake, Settings settings,
      String hashKey, String runId, Periods.Range range, PrintStream out, PrintStream err) {
    JobRun.Counts counts = JobRun.Counts.NONE;
    for (Stage stage : stages) {
      long t0 = System.nanoTime();
      String what;
      switch (stage) {
        case INGEST -> {
          IngestJob.Result r = IngestJob.run(tables, lake, settings, hashKey, runId, err);
          out.println(r.summary());
          counts = r.counts();
          continue;
        }
        case CONVERSATIONS -> what = ConversationsJob.run(tables, settings, range) + " conversations";
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
    }
    return counts;
  }
}
