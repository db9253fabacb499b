package dev.chatbotroi;

import dev.chatbotroi.attribution.AttributionReport;
import dev.chatbotroi.common.Catalog;
import dev.chatbotroi.common.CommandRun;
import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.common.OutputTables;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.SparkSessions;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.UserException;
import dev.chatbotroi.export.CsvExport;
import dev.chatbotroi.export.JdbcExport;
import dev.chatbotroi.export.JdbcTarget;
import dev.chatbotroi.export.ParquetExport;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.ingest.preset.InputPresets;
import dev.chatbotroi.metrics.ScoreboardReport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The command line: parses, builds the session, runs one command, stops it. */
@Command(name = "chatbot-roi", mixinStandardHelpOptions = true, version = "chatbot-roi 0.1.0",
    description = "Turns chatbot event lakes into ROI numbers (Spark + Delta batch job).",
    subcommands = {Main.Demo.class, Main.Generate.class, Main.Run.class, Main.Ingest.class,
        Main.ConversationsCommand.class, Main.MetricsCommand.class, Main.AttributeCommand.class,
        Main.Export.class, Main.Erase.class})
public final class Main implements Callable<Integer> {

  /** Fixed, public key for the demo's sample data only; every other command needs pii.hash-key. */
  static final String DEMO_HASH_KEY = "chatbot-roi-demo-key";

  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  /** Runs one command and returns its exit code; never exits the JVM (tests call this). */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    return execute(args, out, err, System.getenv());
  }

  /** As {@link #execute(String[], PrintStream, PrintStream)}, reading secrets from {@code env} instead of the process's. */
  public static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    boolean verbose = List.of(args).contains("--verbose");
    CommandLine cli = new CommandLine(new Main(env));
    cli.registerConverter(LocalDate.class, s -> {
      try {
        return LocalDate.parse(s);
      } catch (java.time.format.DateTimeParseException e) {
        throw new CommandLine.TypeConversionException("'" + s + "' is not a date of the form YYYY-MM-DD");
      }
    });
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setParameterExceptionHandler((ex, a) -> {
      err.println("chatbot-roi: " + ex.getMessage().replace('\n', ' ') + " (see '"
          + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
      return 2;
    });
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      err.println("chatbot-roi: " + oneLine(ex));
      if (verbose) {
        printTrace(ex, err);
      } else if (!(ex instanceof UserException)) {
        err.println("(run with --verbose for the stack trace)");
      }
      return ex instanceof UserException ? 2 : 1;
    });
    return cli.execute(args);
  }

  static String oneLine(Throwable t) {
    if (t instanceof UserException) {
      return t.getMessage().replace('\n', ' ');
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = t.getMessage() == null ? "" : t.getMessage();
    String first = m.lines().findFirst().orElse("");
    return t.getClass().getSimpleName() + ": " + first
        + (root != t ? " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : "");
  }

  private static void printTrace(Throwable t, PrintStream err) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      err.println((c == t ? "" : "Caused by: ") + c);
      for (StackTraceElement e : c.getStackTrace()) {
        err.println("\tat " + e);
      }
    }
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The environment secrets are read from (JDBC credentials); the process's own outside tests. */
  private final Map<String, String> env;

  Main(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Options every Spark command shares. */
  static final class Common {
    @Option(names = "--conf", paramLabel = "FILE", description = "HOCON settings file layered over the defaults")
    Path conf;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one setting (repeatable)")
    List<String> set = new ArrayList<>();

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*])")
    String master;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    Settings settings() {
      Settings settings = Settings.load(conf, set);
      // the input presets are parsed in full here, so a bad one is reported before Spark starts
      InputPresets.of(settings.input());
      return settings;
    }
  }

  /** Options of the stages that read a lake into a warehouse. */
  static final class Range {
    @Option(names = "--from", paramLabel = "DATE", description = "first date (YYYY-MM-DD, inclusive)")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "last date (YYYY-MM-DD, inclusive)")
    LocalDate to;

    void check() {
      if ((from == null) != (to == null)) {
        throw new UserException("--from and --to go together");
      }
      if (from != null && from.isAfter(to)) {
        throw new UserException("--from " + from + " is after --to " + to);
      }
    }
  }

  /** Runs {@code body} in a new session, logged in job_runs, and stops the session. */
  static JobRun.Counts inSession(String command, String warehouse, Common common, Settings settings,
      LocalDate from, LocalDate to, CommandRun.Body body) {
    // a session someone else started (a notebook, a test JVM) is theirs to stop, not ours
    boolean ours = SparkSession.getDefaultSession().isEmpty() && SparkSession.getActiveSession().isEmpty();
    SparkSession spark = SparkSessions.create("chatbot-roi " + command, common.master, settings);
    try {
      return CommandRun.logged(new Tables(spark, warehouse), command, from, to, body);
    } finally {
      if (ours) {
        spark.stop();
      }
    }
  }

  static void requireDir(Path dir, String option) {
    if (!Files.isDirectory(dir)) {
      throw new UserException(option + " " + dir + ": folder not found");
    }
  }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Write a realistic synthetic lake (events, CRM, help desk), deterministic for a seed.")
  static final class Generate implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "lake folder to write")
    Path out;

    @Option(names = "--days", defaultValue = "42", description = "days of history (default ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--conversations-per-day", defaultValue = "200", description = "default ${DEFAULT-VALUE}")
    int perDay;

    @Option(names = "--seed", defaultValue = "42", description = "default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--start", defaultValue = "2026-03-02", paramLabel = "DATE", description = "first day (default ${DEFAULT-VALUE})")
    LocalDate start;

    @Override
    public Integer call() {
      LakeGenerator.Summary s = generate(out, new LakeGenerator.Options(start, days, perDay, seed));
      System.out.println("generate: " + s.eventLines() + " event lines (" + s.badLines() + " bad on purpose), "
          + s.conversations() + " conversations, " + s.leads() + " leads, " + s.deals() + " deals, "
          + s.tickets() + " tickets -> " + out);
      return 0;
    }
  }

  static LakeGenerator.Summary generate(Path out, LakeGenerator.Options options) {
    try {
      return LakeGenerator.generate(out, options);
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage());
    } catch (IOException e) {
      throw new UserException("cannot write lake " + out + ": " + e.getMessage(), e);
    }
  }

  /** A command that runs some stages of the pipeline against a warehouse; it is named and staged by its subclass. */
  abstract static class StageCommand implements Callable<Integer> {
    @Option(names = "--warehouse", required = true, paramLabel = "DIR") Path warehouse;
    @Option(names = "--catalog-db", paramLabel = "NAME",
        description = "register every output table in this catalog database (idempotent)")
    String catalogDb;
    @Mixin Range range = new Range();
    @Mixin CommonMixin common = new CommonMixin();

    private final String command;
    private final List<Pipeline.Stage> stages;

    StageCommand(String command, List<Pipeline.Stage> stages) {
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
        requireDir(lake(), "--lake");
      } else {
        requireDir(warehouse, "--warehouse"); // a later stage needs what earlier ones wrote
      }
      Settings settings = common.options.settings();
      String key = stages.contains(Pipeline.Stage.INGEST) ? settings.requireHashKey() : null;
      runPipeline(command, stages, lake(), warehouse, common.options, settings, key, range, catalogDb);
      return 0;
    }
  }

  /** A stage command that reads the lake. */
  abstract static class LakeCommand extends StageCommand {
    @Option(names = "--lake", required = true, paramLabel = "DIR") Path lake;

    LakeCommand(String command, List<Pipeline.Stage> stages) {
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
      super("ingest", List.of(Pipeline.Stage.INGEST));
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

    SingleStageCommand(Pipeline.Stage stage) {
      super(stage.name().toLowerCase(Locale.ROOT), List.of(stage));
    }
  }

  @Command(name = "conversations", mixinStandardHelpOptions = true,
      description = "Rebuild the conversations table from the events table.")
  static final class ConversationsCommand extends SingleStageCommand {
    ConversationsCommand() {
      super(Pipeline.Stage.CONVERSATIONS);
    }
  }

  @Command(name = "metrics", mixinStandardHelpOptions = true,
      description = "Recompute metrics and the other gold tables from the conversations table.")
  static final class MetricsCommand extends SingleStageCommand {
    MetricsCommand() {
      super(Pipeline.Stage.METRICS);
    }
  }

  @Command(name = "attribute", mixinStandardHelpOptions = true,
      description = "Recompute attribution_credits, revenue_attribution and roi from conversations, touches and deals.")
  static final class AttributeCommand extends SingleStageCommand {
    AttributeCommand() {
      super(Pipeline.Stage.ATTRIBUTE);
    }
  }

  static JobRun.Counts runPipeline(String command, List<Pipeline.Stage> stages, Path lake, Path warehouse,
      Common common, Settings settings, String key, Range range, String catalogDb) {
    Periods.Range periods = range.from == null ? null : new Periods.Range(range.from, range.to);
    return inSession(command, warehouse.toString(), common, settings, range.from, range.to, (tables, runId) -> {
      JobRun.Counts counts = Pipeline.run(tables, stages, lake == null ? null : lake.toString(), settings, key,
          runId, periods, System.out, System.err);
      if (catalogDb != null) {
        System.out.println("catalog: " + Catalog.register(tables, catalogDb).size() + " tables in " + catalogDb);
      }
      return counts;
    });
  }

  /** Wraps {@link Common} so picocli can mix it into each command. */
  static final class CommonMixin {
    @Mixin Common options = new Common();
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write the output tables of a warehouse as files (csv, parquet) or into PostgreSQL (jdbc).")
  static final class Export implements Callable<Integer> {
    @CommandLine.ParentCommand Main main;
    @Option(names = "--warehouse", required = true, paramLabel = "DIR") Path warehouse;
    @Option(names = "--format", defaultValue = "csv", description = "csv (default), parquet or jdbc") String format;
    @Option(names = "--out", paramLabel = "DIR", description = "output folder (csv, parquet)") Path out;
    @Option(names = "--url", paramLabel = "JDBC_URL",
        description = "jdbc:postgresql://HOST:PORT/DB (jdbc); user and password come from "
            + JdbcTarget.USER_ENV + " and " + JdbcTarget.PASSWORD_ENV) String url;
    @Option(names = "--csv-raw", description = "csv: write text cells as stored, without the leading ' that"
        + " keeps a spreadsheet from running =, +, -, @ as a formula (for machine readers)")
    boolean csvRaw;
    @Option(names = "--schema", defaultValue = "chatbot_roi", paramLabel = "NAME",
        description = "PostgreSQL schema (jdbc; default ${DEFAULT-VALUE})") String schema;
    @Mixin Range range = new Range();
    @Mixin CommonMixin common = new CommonMixin();

    @Override
    public Integer call() {
      String f = format.toLowerCase(Locale.ROOT);
      if (!List.of("csv", "parquet", "jdbc").contains(f)) {
        throw new UserException("--format " + format + ": not supported (available: csv, parquet, jdbc)");
      }
      range.check();
      JdbcTarget target = null;
      if (f.equals("jdbc")) {
        if (url == null) {
          throw new UserException("--format jdbc needs --url jdbc:postgresql://HOST:PORT/DB");
        }
        target = JdbcTarget.fromEnvironment(url, schema, main.env);
      } else {
        if (out == null) {
          throw new UserException("--format " + f + " needs --out DIR");
        }
        if (range.from != null) {
          throw new UserException("--from/--to apply to --format jdbc only; file exports are whole snapshots");
        }
      }
      requireDir(warehouse, "--warehouse");
      Settings settings = common.options.settings();
      JdbcTarget jdbc = target;
      inSession("export", warehouse.toString(), common.options, settings, range.from, range.to, (tables, runId) -> {
        if (jdbc != null) {
          Periods.Range periods = range.from == null ? null : new Periods.Range(range.from, range.to);
          int n = JdbcExport.write(tables, OutputTables.EXPORTED, jdbc, periods, System.out).size();
          System.out.println("export: " + n + " tables -> " + jdbc.displayUrl() + " schema " + jdbc.schema());
        } else {
          List<String> files = f.equals("csv") ? CsvExport.write(tables, OutputTables.EXPORTED, out.toString(), csvRaw)
              : ParquetExport.write(tables, OutputTables.EXPORTED, out.toString());
          System.out.println("export: " + files.size() + " tables -> " + out);
        }
        return JobRun.Counts.NONE;
      });
      return 0;
    }
  }

  @Command(name = "erase", mixinStandardHelpOptions = true,
      description = "Delete one person's rows from every warehouse table and recompute the periods they touched.")
  static final class Erase implements Callable<Integer> {
    @Option(names = "--warehouse", required = true, paramLabel = "DIR") Path warehouse;
    @Option(names = "--lead-id", paramLabel = "ID", description = "the person's CRM lead id (repeatable)")
    List<String> leadIds = new ArrayList<>();
    @Option(names = "--email", paramLabel = "ADDRESS", description = "the person's e-mail address (repeatable; hashed, never stored)")
    List<String> emails = new ArrayList<>();
    @Mixin CommonMixin common = new CommonMixin();

    @Override
    public Integer call() {
      if (leadIds.isEmpty() && emails.isEmpty()) {
        throw new UserException("erase needs --lead-id ID or --email ADDRESS");
      }
      requireDir(warehouse, "--warehouse");
      Settings settings = common.options.settings();
      java.util.Set<String> hashes = new java.util.TreeSet<>();
      if (!emails.isEmpty()) {
        String key = settings.requireHashKey();
        for (String e : emails) {
          String h = dev.chatbotroi.common.Pii.hash(key, e);
          if (h == null) {
            throw new UserException("--email: an empty address");
          }
          hashes.add(h);
        }
      }
      java.util.Set<String> ids = new java.util.TreeSet<>();
      for (String id : leadIds) {
        // a lead id that is an address was stored as its hash (docs/ingest.md): look for that
        ids.add(id.contains("@") ? dev.chatbotroi.common.Pii.scrub(settings.requireHashKey(), id.trim()) : id.trim());
      }
      JobRun.Counts none = JobRun.Counts.NONE;
      inSession("erase", warehouse.toString(), common.options, settings, null, null, (tables, runId) -> {
        dev.chatbotroi.erase.EraseJob.Result r =
            dev.chatbotroi.erase.EraseJob.run(tables, settings, ids, hashes, runId, System.out, System.err);
        System.out.println(r.summary());
        return none;
      });
      return 0;
    }
  }

  @Command(name = "demo", mixinStandardHelpOptions = true,
      description = "Generate a sample lake under target/demo/lake, run the pipeline into target/demo/warehouse, export CSV.")
  static final class Demo implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "target/demo", paramLabel = "DIR", description = "default ${DEFAULT-VALUE}")
    Path dir;

    @Option(names = "--days", defaultValue = "42") int days;
    @Option(names = "--conversations-per-day", defaultValue = "200") int perDay;
    @Option(names = "--seed", defaultValue = "42") long seed;
    @Mixin CommonMixin common = new CommonMixin();

    @Override
    public Integer call() {
      Settings settings = common.options.settings();
      System.out.println("demo: pii.hash-key is the fixed public demo key '" + DEMO_HASH_KEY
          + "' (sample data only; real runs need their own key)");
      settings = settings.withHashKey(DEMO_HASH_KEY);
      deleteRecursively(dir);
      Path lake = dir.resolve("lake");
      Path warehouse = dir.resolve("warehouse");
      LakeGenerator.Summary s = generate(lake, new LakeGenerator.Options(
          LakeGenerator.Options.defaults().start(), days, perDay, seed));
      System.out.println("demo: generated " + s.eventLines() + " event lines -> " + lake);
      runPipeline("run", Pipeline.RUN, lake, warehouse, common.options, settings, DEMO_HASH_KEY, new Range(), null);
      Path csv = dir.resolve("csv");
      inSession("export", warehouse.toString(), common.options, settings, null, null, (tables, runId) -> {
        CsvExport.write(tables, OutputTables.EXPORTED, csv.toString(), false);
        ScoreboardReport.print(tables, System.out);
        AttributionReport.print(tables, System.out);
        System.out.println();
        return JobRun.Counts.NONE;
      });
      System.out.println("demo: Delta tables under " + warehouse.toAbsolutePath());
      System.out.println("demo: CSV exports under  " + csv.toAbsolutePath());
      return 0;
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
