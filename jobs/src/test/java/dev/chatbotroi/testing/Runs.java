package dev.chatbotroi.testing;

import dev.chatbotroi.common.Periods;
import dev.chatbotroi.cli.Main;
import dev.chatbotroi.common.JobRunsTable;
import dev.chatbotroi.pipeline.OutputTables;
import dev.chatbotroi.common.QuarantineTable;
import dev.chatbotroi.common.TableSchema;
import dev.chatbotroi.common.Tables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Runs the CLI in-process and compares warehouses or CSV exports, leaving out what differs by run. */
public final class Runs {
  private Runs() {}

  /** What one CLI call printed and returned. */
  public record Outcome(int code, String out, String err) {
    public List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  /** Runs the CLI on the local test master; the command stops the shared session, which TestSpark recreates. */
  public static Outcome main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(Arrays.asList(args));
    int code = Main.execute(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs stages through the pipeline on the shared session, logged in job_runs like the CLI does; returns the tables. */
  public static Tables pipeline(Path lake, Path warehouse, dev.chatbotroi.common.Periods.Range range,
      java.util.List<dev.chatbotroi.common.Stage> stages, dev.chatbotroi.common.Settings settings) {
    return pipeline(lake, warehouse, range, stages, settings, new PrintStream(new ByteArrayOutputStream()));
  }

  /** {@link #pipeline} with the progress and warnings (stderr of the CLI) going to {@code err}. */
  public static Tables pipeline(Path lake, Path warehouse, dev.chatbotroi.common.Periods.Range range,
      java.util.List<dev.chatbotroi.common.Stage> stages, dev.chatbotroi.common.Settings settings,
      PrintStream err) {
    Tables tables = new Tables(TestSpark.session(), warehouse.toString());
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    dev.chatbotroi.common.CommandRun.logged(tables, "run", range == null ? null : range.from(),
        range == null ? null : range.to(), (t, runId) -> dev.chatbotroi.pipeline.Pipeline.run(
            new dev.chatbotroi.common.StageContext(t, settings, runId, lake == null ? null : lake.toString(), quiet, err),
            stages, range));
    return tables;
  }

  /**
   * `run` without attribution and experiments: for tests that read only conversations, metrics and
   * the job log, those two stages are a third of a small run's time.
   */
  public static final java.util.List<dev.chatbotroi.common.Stage> THROUGH_METRICS = throughMetrics();

  private static java.util.List<dev.chatbotroi.common.Stage> throughMetrics() {
    java.util.List<dev.chatbotroi.common.Stage> s = new ArrayList<>(dev.chatbotroi.pipeline.Pipeline.INGEST);
    s.addAll(dev.chatbotroi.pipeline.Pipeline.CONVERSATIONS);
    s.addAll(dev.chatbotroi.pipeline.Pipeline.METRICS);
    return java.util.List.copyOf(s);
  }

  /** A whole `run` of a lake through the pipeline on the shared session. */
  public static Tables pipeline(Path lake, Path warehouse) {
    return pipeline(lake, warehouse, null, dev.chatbotroi.pipeline.Pipeline.RUN, TestSpark.settings());
  }

  /** Columns that name the run rather than the data. */
  static final List<String> RUN_COLUMNS = List.of(QuarantineTable.RUN_ID, QuarantineTable.INGESTED_AT);

  /**
   * The tables the ingest stage writes. Every later stage reads only these (and what the stages
   * before it wrote), so two warehouses equal here give equal tables after the other stages.
   */
  public static final List<TableSchema> INGEST_OUTPUTS = List.of(dev.chatbotroi.common.EventsTable.TABLE,
      QuarantineTable.TABLE, dev.chatbotroi.common.LeadsTable.TABLE, dev.chatbotroi.common.DealsTable.TABLE,
      dev.chatbotroi.common.TicketsTable.TABLE, dev.chatbotroi.common.SpendTable.TABLE,
      dev.chatbotroi.common.IngestedFilesTable.TABLE);

  /** Every exported table as sorted text, without job_runs and without run ids / ingest times. */
  public static Map<String, List<String>> exported(Tables tables) {
    return rows(tables, OutputTables.EXPORTED.stream()
        .filter(t -> !t.name().equals(JobRunsTable.TABLE.name())).toList());
  }

  /** Each of {@code which} that exists, as sorted text without run ids and ingest times. */
  public static Map<String, List<String>> rows(Tables tables, List<TableSchema> which) {
    Map<String, List<String>> out = new TreeMap<>();
    for (TableSchema t : tables.existing(which)) {
      Dataset<Row> rows = tables.read(t);
      for (String c : RUN_COLUMNS) {
        if (Arrays.asList(rows.columns()).contains(c)) {
          rows = rows.drop(c);
        }
      }
      out.put(t.name(), DataFrameAssert.sortedText(rows));
    }
    return out;
  }

  /** The CSV files of an export folder as sorted lines, without job_runs.csv and the run columns. */
  public static Map<String, List<String>> csvExports(Path dir) {
    Map<String, List<String>> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
        String name = f.getFileName().toString();
        if (name.equals(JobRunsTable.TABLE.name() + ".csv")) {
          continue;
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        List<String> rows = new ArrayList<>();
        if (!lines.isEmpty()) {
          // the quarantine's run columns are its last two, and no earlier field of it is cut
          boolean dropTail = lines.get(0).endsWith("," + QuarantineTable.RUN_ID + "," + QuarantineTable.INGESTED_AT);
          for (String l : lines) {
            rows.add(dropTail ? l.substring(0, nthCommaFromEnd(l, 2)) : l);
          }
        }
        String header = rows.isEmpty() ? "" : rows.remove(0);
        rows.sort(null);
        rows.add(0, header);
        out.put(name, rows);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static int nthCommaFromEnd(String s, int n) {
    int i = s.length();
    for (int k = 0; k < n; k++) {
      i = s.lastIndexOf(',', i - 1);
    }
    return i;
  }

  /** The job_runs rows as (command, status, error) text, oldest first. */
  public static List<Row> jobRuns(Tables tables) {
    return tables.read(JobRunsTable.TABLE).orderBy("started_at").collectAsList();
  }
}
