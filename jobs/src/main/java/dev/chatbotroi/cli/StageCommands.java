package dev.chatbotroi.cli;

import dev.chatbotroi.common.Stage;
import dev.chatbotroi.pipeline.OutputTables;
import dev.chatbotroi.common.StageContext;
import dev.chatbotroi.pipeline.Pipeline;
import dev.chatbotroi.common.Catalog;
import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.common.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The commands that run stages of the pipeline against one warehouse: run, ingest, conversations, metrics, attribute, experiments. */
final class StageCommands {
  private StageCommands() {}

  /** A command that runs some stages of the pipeline against a warehouse; it is named and staged by its subclass. */
  abstract static class StageCommand implements Callable<Integer> {
    @Option(names = "--warehouse", required = true, paramLabel = "DIR") Path warehouse;
    @Option(names = "--catalog-db", paramLabel = "NAME",
        description = "register every output table in this catalog database (idempotent)")
    String catalogDb;
    @Mixin RangeOptions range = new RangeOptions();
    @Mixin CommonMixin common = new CommonMixin();

    private final String command;
    private final List<Stage> stages;

    StageCommand(String command, List<Stage> stages) {
      this.command = command;
      this.stages = stages;
    }

    Path lake() {
      return null;
    }

    @Override
    public Integer call() {
      range.check();
      if (lake() != null) {
        Folders.requireDir(lake(), "--lake");
      } else {
        Folders.requireDir(warehouse, "--warehouse"); // a later stage needs what earlier ones wrote
      }
      Settings settings = common.options.settings();
      if (stages.stream().anyMatch(s -> s.scope() == Stage.Scope.FIRST)) {
        settings.requireHashKey(); // ingest hashes addresses: stop before Spark starts when there is no key
      }
      if (stages == Pipeline.INGEST && catalogDb == null
          && NothingNewIngest.done(command, lake(), warehouse, settings, range, System.out, System.err)) {
        return 0; // nothing new, and job_runs says so: no Spark session to start
      }
      runPipeline(command, stages, lake(), warehouse, common.options, settings, range, catalogDb);
      return 0;
    }
  }

  /** A stage command that reads the lake. */
  abstract static class LakeCommand extends StageCommand {
    @Option(names = "--lake", required = true, paramLabel = "DIR") Path lake;

    LakeCommand(String command, List<Stage> stages) {
      super(command, stages);
    }

    @Override
    Path lake() {
      return lake;
    }
  }

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Load new lake files into the Delta tables events, leads, deals, tickets, quarantine.")
  static final class Ingest extends LakeCommand {
    Ingest() {
      super("ingest", Pipeline.INGEST);
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "The scheduled job: ingest, conversations, metrics and gold tables, attribution.")
  static final class Run extends LakeCommand {
    Run() {
      super("run", Pipeline.RUN);
    }
  }

  /** A command that re-runs one stage against a warehouse; the stage names the command. */
  abstract static class SingleStageCommand extends StageCommand {
    @Option(names = "--lake", paramLabel = "DIR", description = "accepted for symmetry with run; not read")
    Path ignoredLake;

    SingleStageCommand(String command, List<Stage> stages) {
      super(command, stages);
    }
  }

  @Command(name = "conversations", mixinStandardHelpOptions = true,
      description = "Rebuild the conversations table from the events table.")
  static final class Conversations extends SingleStageCommand {
    Conversations() {
      super("conversations", Pipeline.CONVERSATIONS);
    }
  }

  @Command(name = "metrics", mixinStandardHelpOptions = true,
      description = "Recompute metrics and the other gold tables from the conversations table.")
  static final class Metrics extends SingleStageCommand {
    Metrics() {
      super("metrics", Pipeline.METRICS);
    }
  }

  @Command(name = "attribute", mixinStandardHelpOptions = true,
      description = "Recompute attribution_credits, revenue_attribution and roi from conversations, touches and deals.")
  static final class Attribute extends SingleStageCommand {
    Attribute() {
      super("attribute", Pipeline.ATTRIBUTE);
    }
  }

  @Command(name = "experiments", mixinStandardHelpOptions = true,
      description = "Recompute the experiments table (holdout lift) from assignment events, conversations, leads, deals and tickets.")
  static final class Experiments extends SingleStageCommand {
    Experiments() {
      super("experiments", Pipeline.EXPERIMENTS);
    }
  }

  /** Runs {@code stages} in one logged session, then registers the tables in {@code catalogDb} if given (the demo shares this). */
  static JobRun.Counts runPipeline(String command, List<Stage> stages, Path lake, Path warehouse,
      CommonOptions common, Settings settings, RangeOptions range, String catalogDb) {
    return CommandSession.inSession(command, warehouse.toString(), common, settings, range.from, range.to,
        (tables, runId) -> {
          JobRun.Counts counts = Pipeline.run(new StageContext(tables, settings, runId,
              lake == null ? null : lake.toString(), System.out, System.err), stages, range.periods());
          if (catalogDb != null) {
            System.out.println("catalog: " + Catalog.register(tables, catalogDb, OutputTables.registrable()).size() + " tables in " + catalogDb);
          }
          return counts;
        });
  }
}
