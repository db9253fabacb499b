package dev.chatbotroi.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.ExperimentsTable;
import dev.chatbotroi.common.Stage;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.pipeline.Pipeline;
import dev.chatbotroi.testing.Runs;
import dev.chatbotroi.testing.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's lake (seed 42) holds a holdout with a lead-rate lift known in advance: the interval finds it. */
@org.junit.jupiter.api.Tag("pipeline")
class HoldoutLakeTest {

  @TempDir Path dir;

  @Test
  void theDemoLakesIntervalContainsTheTrueLeadRateLift() throws Exception {
    Path lake = dir.resolve("lake");
    LakeGenerator.generate(lake, LakeGenerator.Options.defaults());
    List<Stage> stages = new ArrayList<>(Pipeline.INGEST);
    stages.addAll(Pipeline.CONVERSATIONS);
    stages.addAll(Pipeline.EXPERIMENTS);
    Tables tables = Runs.pipeline(lake, dir.resolve("wh"), null, stages, TestSpark.settings());

    List<Row> rows = tables.read(ExperimentsTable.TABLE).where("experiment = 'bot_holdout'").collectAsList();
    assertEquals(2 * ExperimentsTable.METRICS.size(), rows.size(), "bot and holdout, every metric");
    Row lead = rows.stream().filter(r -> r.getAs("variant").equals("bot") && r.getAs("metric").equals("lead_rate"))
        .findFirst().orElseThrow();
    double truth = LakeGenerator.HOLDOUT_LEAD_RATE_LIFT;
    double low = lead.getAs("lift_ci_low");
    double high = lead.getAs("lift_ci_high");
    assertTrue(low <= truth && truth <= high, "true lift " + truth + " in [" + low + ", " + high + "]");
    assertTrue(low > 0, "the bot's lead-rate lift is clear at the demo's size: " + low);
    // the holdout never sees the widget: no engaged conversation of a new holdout visitor
    Row engaged = rows.stream().filter(r -> r.getAs("variant").equals("holdout")
        && r.getAs("metric").equals("engaged_rate")).findFirst().orElseThrow();
    assertTrue(engaged.<Double>getAs("value") < 0.02, "holdout engaged rate " + engaged.getAs("value"));
    long units = rows.stream().filter(r -> r.getAs("metric").equals("lead_rate"))
        .mapToLong(r -> r.getAs("units")).sum();
    assertFalse(SampleRatio.sampleRatioMismatch(rows.stream().filter(r -> r.getAs("metric").equals("lead_rate"))
        .mapToLong(r -> r.getAs("units")).toArray(), new double[] {1, 1}), "a fair coin: " + units + " units");
  }
}
