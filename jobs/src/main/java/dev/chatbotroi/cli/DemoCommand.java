package dev.chatbotroi.cli;

import dev.chatbotroi.pipeline.Pipeline;
import dev.chatbotroi.cli.report.AttributionReport;
import dev.chatbotroi.cli.report.ExperimentReport;
import dev.chatbotroi.cli.report.ScoreboardReport;
import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.pipeline.OutputTables;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.export.CsvExport;
import dev.chatbotroi.generate.LakeGenerator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The demo command: a fresh sample lake, a full run into a fresh warehouse, CSV exports and the console reports. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Generate a sample lake under target/demo/lake, run the pipeline into target/demo/warehouse, export CSV.")
final class DemoCommand implements Callable<Integer> {

  /** Fixed, public key for the demo's sample data only; every other command needs pii.hash-key. */
  static final String DEMO_HASH_KEY = "chatbot-roi-demo-key";

  @Option(names = "--dir", defaultValue = "target/demo", paramLabel = "DIR", description = "default ${DEFAULT-VALUE}")
  Path dir;

  @Option(names = "--days", defaultValue = "42") int days;
  @Option(names = "--conversations-per-day", defaultValue = "200") int perDay;
  @Option(names = "--seed", defaultValue = "42") long seed;
  @Mixin CommonMixin common = new CommonMixin();

  @Override
  public Integer call() {
    Settings settings = common.options.settings().withHashKey(DEMO_HASH_KEY);
    System.out.println("demo: pii.hash-key is the fixed public demo key '" + DEMO_HASH_KEY
        + "' (sample data only; real runs need their own key)");
    Folders.deleteRecursively(dir);
    Path lake = dir.resolve("lake");
    Path warehouse = dir.resolve("warehouse");
    LakeGenerator.Summary s = GenerateCommand.generate(lake, new LakeGenerator.Options(
        LakeGenerator.Options.defaults().start(), days, perDay, seed));
    System.out.println("demo: generated " + s.eventLines() + " event lines -> " + lake);
    Path csv = dir.resolve("csv");
    // one session for the run and the export: one driver and one set of executors on a cluster
    CommandSession.shared("demo", common.options, settings, spark -> {
      StageCommands.runPipeline("run", Pipeline.RUN, lake, warehouse, common.options, settings, new RangeOptions(),
          null);
      return CommandSession.inSession("export", warehouse.toString(), common.options, settings, null, null,
          (tables, runId) -> {
            CsvExport.write(tables, OutputTables.EXPORTED, csv.toString(), false);
            ScoreboardReport.print(tables, System.out);
            AttributionReport.print(tables, System.out);
            ExperimentReport.print(tables, System.out);
            System.out.println();
            return JobRun.Counts.NONE;
          });
    });
    System.out.println("demo: Delta tables under " + warehouse.toAbsolutePath());
    System.out.println("demo: CSV exports under  " + csv.toAbsolutePath());
    return 0;
  }
}
