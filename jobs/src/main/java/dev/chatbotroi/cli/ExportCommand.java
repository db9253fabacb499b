package dev.chatbotroi.cli;

import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.pipeline.OutputTables;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.UserException;
import dev.chatbotroi.export.CsvExport;
import dev.chatbotroi.export.JdbcExport;
import dev.chatbotroi.export.JdbcTarget;
import dev.chatbotroi.export.ParquetExport;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The export command: a warehouse's output tables as CSV or Parquet files, or into PostgreSQL. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write the output tables of a warehouse as files (csv, parquet) or into PostgreSQL (jdbc).")
final class ExportCommand implements Callable<Integer> {
  @ParentCommand Main main;
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
  @Mixin RangeOptions range = new RangeOptions();
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
      target = JdbcTarget.fromEnvironment(url, schema, main.env());
    } else {
      if (out == null) {
        throw new UserException("--format " + f + " needs --out DIR");
      }
      if (range.from != null) {
        throw new UserException("--from/--to apply to --format jdbc only; file exports are whole snapshots");
      }
    }
    Folders.requireDir(warehouse, "--warehouse");
    Settings settings = common.options.settings();
    JdbcTarget jdbc = target;
    CommandSession.inSession("export", warehouse.toString(), common.options, settings, range.from, range.to,
        (tables, runId) -> {
          if (jdbc != null) {
            int n = JdbcExport.write(tables, OutputTables.EXPORTED, jdbc, range.periods(), System.out).size();
            System.out.println("export: " + n + " tables -> " + jdbc.displayUrl() + " schema " + jdbc.schema());
          } else {
            List<String> files = f.equals("csv")
                ? CsvExport.write(tables, OutputTables.EXPORTED, out.toString(), csvRaw)
                : ParquetExport.write(tables, OutputTables.EXPORTED, out.toString());
            System.out.println("export: " + files.size() + " tables -> " + out);
          }
          return JobRun.Counts.NONE;
        });
    return 0;
  }
}
