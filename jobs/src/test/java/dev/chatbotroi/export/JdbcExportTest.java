package dev.chatbotroi.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import dev.chatbotroi.cli.Main;
import dev.chatbotroi.common.StageContext;
import dev.chatbotroi.common.Stage;
import dev.chatbotroi.pipeline.Pipeline;
import dev.chatbotroi.common.CommandRun;
import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.pipeline.OutputTables;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.metrics.ScoreboardWeeklyTable;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.TableSchema;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.UserException;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.testing.PostgresServer;
import dev.chatbotroi.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * `export --format jdbc` against a real PostgreSQL server: values equal the Delta tables, keys,
 * indexes and views exist, a ranged re-export touches only its periods, and a connection killed
 * mid-export leaves the previous rows intact. The steps build on each other, so they run in order.
 */
@org.junit.jupiter.api.Tag("pipeline")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JdbcExportTest {
  private static final String SCHEMA = "bi";
  /** One day of the export range; it is widened to March, the month its week lies in. */
  private static final LocalDate DAY = LocalDate.parse("2026-03-24");
  private static final LocalDate WEEK_FROM = LocalDate.parse("2026-03-01");
  private static final LocalDate WEEK_TO = LocalDate.parse("2026-03-31");

  @TempDir static Path dir;
  static PostgresServer pg;
  static Tables tables;
  static JdbcTarget target;
  /** PostgreSQL's metrics rows after the first, whole export. */
  static List<String> firstMetrics;

  @BeforeAll
  static void startServerAndRunPipeline() throws Exception {
    pg = PostgresServer.start();
    Path lake = dir.resolve("lake");
    // three weeks across a month end: a ranged export of March must leave April alone
    LakeGenerator.generate(lake, new LakeGenerator.Options(LocalDate.parse("2026-03-16"), 21, 20, 11L));
    tables = new Tables(TestSpark.session(), dir.resolve("wh").toString());
    runStages(Pipeline.RUN, lake, TestSpark.settings());
    target = new JdbcTarget(pg.url(), SCHEMA, PostgresServer.USER, pg.password());
  }

  @AfterAll
  static void stopServer() {
    if (pg != null) {
      pg.close();
    }
  }

  private static void runStages(List<Stage> stages, Path lake, Settings settings) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    CommandRun.logged(tables, "run", null, null, (t, runId) -> Pipeline.run(
        new StageContext(t, settings, runId, lake == null ? null : lake.toString(), quiet, quiet), stages, null));
  }

  private static List<JdbcExport.Written> export(Periods.Range range) {
    return export(range, new ByteArrayOutputStream());
  }

  private static List<JdbcExport.Written> export(Periods.Range range, ByteArrayOutputStream out) {
    return JdbcExport.write(tables, OutputTables.EXPORTED, target, range, new PrintStream(out, true));
  }

  @Test
  @Order(1)
  void everyTableEqualsItsDeltaTable() throws Exception {
    List<JdbcExport.Written> written = export(null);
    assertEquals(OutputTables.EXPORTED.size(), written.size(), "every exported table is written");
    try (Connection c = pg.connect()) {
      for (TableSchema t : OutputTables.EXPORTED) {
        List<String> delta = sparkRows(tables.read(t));
        List<String> postgres = pgRows(c, "SELECT * FROM " + SCHEMA + "." + t.name());
        assertFalse(delta.isEmpty(), t.name() + " has rows in this scenario");
        assertEquals(delta.size(), postgres.size(), t.name() + " row count");
        assertEquals(delta, postgres, t.name() + " values");
      }
      firstMetrics = pgRows(c, "SELECT * FROM " + SCHEMA + ".metrics");
    }
    // a second whole export replaces, never appends
    export(null);
    try (Connection c = pg.connect()) {
      assertEquals(firstMetrics, pgRows(c, "SELECT * FROM " + SCHEMA + ".metrics"));
      assertEquals(0, count(c, "SELECT count(*) FROM pg_tables WHERE schemaname = '" + SCHEMA
          + "' AND tablename LIKE '\\_stage\\_%'"), "no staging table is left behind");
    }
  }

  @Test
  @Order(2)
  void typesKeysIndexesAndViews() throws Exception {
    try (Connection c = pg.connect()) {
      assertEquals("date", columnType(c, "metrics", "period_start"));
      assertEquals("double precision", columnType(c, "metrics", "numerator"));
      assertEquals("timestamp with time zone", columnType(c, "conversations", "start_ts"));
      assertEquals("numeric", columnType(c, "attribution_credits", "attributed_revenue"));
      assertEquals("ARRAY", columnType(c, "conversations", "captured_lead_ids"));
      assertEquals("bigint", columnType(c, "funnel", "impressions"));
      for (TableSchema t : OutputTables.EXPORTED) {
        List<String> key = pgRows(c, "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
            + " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indisprimary AND i.indrelid = '"
            + SCHEMA + "." + t.name() + "'::regclass");
        List<String> expected = new ArrayList<>(t.export().key());
        Collections.sort(expected);
        assertEquals(expected, key, t.name() + " primary key");
        long indexes = count(c, "SELECT count(*) FROM pg_indexes WHERE schemaname = '" + SCHEMA
            + "' AND tablename = '" + t.name() + "' AND indexname LIKE '%\\_by\\_%'");
        assertEquals(t.export().indexes().size(), indexes, t.name() + " BI indexes");
      }
      Dataset<Row> weekly = tables.read(MetricsTable.TABLE).where(col("period_grain").equalTo("week"));
      assertEquals(weekly.count(), count(c, "SELECT count(*) FROM " + SCHEMA + ".v_metrics_weekly"));
      assertEquals(sparkRows(weekly.select("period_start", "metric", "numerator", "denominator")),
          pgRows(c, "SELECT week_start, metric, numerator, denominator FROM " + SCHEMA + ".v_metrics_weekly"),
          "v_metrics_weekly carries numerator and denominator");
      Dataset<Row> board = tables.read(ScoreboardWeeklyTable.TABLE);
      LocalDate latest = board.agg(org.apache.spark.sql.functions.max("period_start")).first().getDate(0).toLocalDate();
      assertEquals(sparkRows(board.where(col("period_start").equalTo(lit(latest)))),
          pgRows(c, "SELECT * FROM " + SCHEMA + ".v_scoreboard_latest"));
      assertTrue(count(c, "SELECT count(*) FROM " + SCHEMA + ".v_revenue_by_model_monthly") > 0);
      assertEquals(sparkRows(tables.read(dev.chatbotroi.common.ChannelRoiTable.TABLE)
              .select("period_start", "model", "window_days", "touch_type", "channel", "spend", "roas", "roi_pct")),
          pgRows(c, "SELECT month_start, model, window_days, touch_type, channel, spend, roas, roi_pct FROM "
              + SCHEMA + ".v_channel_roi_monthly"), "v_channel_roi_monthly carries channel_roi's months");
      assertTrue(count(c, "SELECT count(*) FROM " + SCHEMA + ".v_channel_roi_monthly WHERE touch_type = 'marketing'"
          + " AND spend > 0") > 0, "the generated spend reaches the view");
      assertEquals(sparkRows(tables.read(dev.chatbotroi.common.AttributionStatesTable.TABLE)
              .select("window_days", "state", "removal_effect", "markov_share", "shapley_share")),
          pgRows(c, "SELECT window_days, state, removal_effect, markov_share, shapley_share FROM " + SCHEMA
              + ".v_attribution_states"), "v_attribution_states carries the learned shares");
      assertEquals(tables.read(dev.chatbotroi.common.AttributionPathsTable.TABLE).count(),
          count(c, "SELECT count(*) FROM " + SCHEMA + ".attribution_paths"), "every path is exported");
    }
  }

  @Test
  @Order(3)
  void rangedReExportReplacesOnlyItsPeriods() throws Exception {
    // a cost change moves cost_per_interaction in every period of Delta...
    runStages(Pipeline.METRICS, null, TestSpark.settings("costs.per-conversation=0.99"));
    List<String> newDelta = sparkRows(tables.read(MetricsTable.TABLE));
    assertNotEquals(firstMetrics, newDelta, "the scenario changes metrics");
    // ...but only the exported day's whole week and month are replaced in PostgreSQL, and the export says so
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    List<JdbcExport.Written> written = export(new Periods.Range(DAY, DAY), console);
    assertTrue(console.toString().contains("export: --from 2026-03-24 --to 2026-03-24 widened to 2026-03-01..2026-03-31"),
        console.toString());
    assertTrue(written.stream().anyMatch(w -> w.table().equals("metrics") && w.scope().contains("2026-03-01")));
    String inRange = "period_start BETWEEN DATE '" + WEEK_FROM + "' AND DATE '" + WEEK_TO + "'";
    try (Connection c = pg.connect()) {
      List<String> pgIn = pgRows(c, "SELECT * FROM " + SCHEMA + ".metrics WHERE " + inRange);
      List<String> pgOut = pgRows(c, "SELECT * FROM " + SCHEMA + ".metrics WHERE NOT (" + inRange + ")");
      Dataset<Row> delta = tables.read(MetricsTable.TABLE);
      Dataset<Row> deltaIn = delta.where(col("period_start").between(lit(WEEK_FROM), lit(WEEK_TO)));
      assertEquals(sparkRows(deltaIn), pgIn, "the re-exported month equals Delta now");
      List<String> oldOut = new ArrayList<>(firstMetrics);
      oldOut.removeIf(r -> {
        LocalDate d = LocalDate.parse(r.split("\\|", -1)[1]);
        return !d.isBefore(WEEK_FROM) && !d.isAfter(WEEK_TO);
      });
      assertFalse(oldOut.isEmpty(), "April has rows");
      assertEquals(oldOut, pgOut, "April's rows are untouched");
      List<String> newOut = sparkRows(delta.where(col("period_start").between(lit(WEEK_FROM), lit(WEEK_TO)).unary_$bang()));
      assertNotEquals(newOut, pgOut, "...although Delta changed them");
      // timestamp-period tables are cut on the UTC date
      assertEquals(sparkRows(tables.read(dev.chatbotroi.common.AttributionCreditsTable.TABLE)
              .where(to_date(col("closed_at")).between(lit(WEEK_FROM), lit(WEEK_TO)))),
          pgRows(c, "SELECT * FROM " + SCHEMA + ".attribution_credits WHERE (closed_at AT TIME ZONE 'UTC')::date"
              + " BETWEEN DATE '" + WEEK_FROM + "' AND DATE '" + WEEK_TO + "'"));
    }
  }

  @Test
  @Order(4)
  void connectionKilledMidExportLeavesPreviousRowsAndTheNextExportSucceeds() throws Exception {
    runStages(Pipeline.METRICS, null, TestSpark.settings("costs.per-conversation=2.5"));
    Map<String, String> env = new HashMap<>();
    env.put(JdbcTarget.USER_ENV, PostgresServer.USER);
    env.put(JdbcTarget.PASSWORD_ENV, pg.password());
    String[] args = {"export", "--format", "jdbc", "--url", pg.url(), "--schema", SCHEMA,
        "--warehouse", dir.resolve("wh").toString(), "--master", "local[2]", "--set", "spark.shuffle-partitions=2"};
    List<String> before;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (Connection reader = pg.connect(); Connection locker = pg.connect()) {
      before = pgRows(reader, "SELECT * FROM " + SCHEMA + ".metrics");
      // SHARE mode lets the export stage its rows (it reads the table definition) but holds its DELETE
      locker.setAutoCommit(false);
      try (Statement s = locker.createStatement()) {
        s.execute("LOCK TABLE " + SCHEMA + ".metrics IN SHARE MODE");
      }
      CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(args,
          new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true), env));
      int killed = 0;
      for (int i = 0; i < 600 && killed == 0 && !run.isDone(); i++) {
        Thread.sleep(200);
        killed = (int) count(reader, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            + " WHERE application_name = '" + JdbcTarget.APPLICATION_NAME + "' AND wait_event_type = 'Lock'"
            + " AND query LIKE 'DELETE FROM " + SCHEMA + ".metrics%'");
      }
      assertEquals(1, killed, "the export's connection was killed while it replaced metrics");
      int code = run.get(5, TimeUnit.MINUTES);
      locker.rollback();
      String message = err.toString(StandardCharsets.UTF_8);
      assertNotEquals(0, code, "a killed export fails");
      assertTrue(message.contains(SCHEMA + ".metrics rolled back"), message);
      assertFalse(message.contains(pg.password()), "the password is never printed");
      assertEquals(before, pgRows(reader, "SELECT * FROM " + SCHEMA + ".metrics"), "previous rows intact");
    }
    ByteArrayOutputStream err2 = new ByteArrayOutputStream();
    assertEquals(0, Main.execute(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err2), env),
        err2.toString(StandardCharsets.UTF_8));
    tables = new Tables(TestSpark.session(), dir.resolve("wh").toString()); // Main stopped the session it shared
    try (Connection c = pg.connect()) {
      for (TableSchema t : OutputTables.EXPORTED) {
        if (!t.name().equals("job_runs")) { // the exports themselves add job_runs rows after writing it
          assertEquals(sparkRows(tables.read(t)), pgRows(c, "SELECT * FROM " + SCHEMA + "." + t.name()), t.name());
        }
      }
    }
  }

  @Test
  @Order(5)
  void badTargetsAreOneLineErrors() {
    assertThrows(UserException.class, () -> new JdbcTarget("jdbc:mysql://h/db", "bi", null, null));
    assertThrows(UserException.class, () -> new JdbcTarget(pg.url(), "Robert'); DROP", null, null));
    JdbcTarget noPassword = new JdbcTarget(pg.url(), SCHEMA, PostgresServer.USER, null);
    UserException e = assertThrows(UserException.class, () -> JdbcExport.write(tables, OutputTables.EXPORTED,
        noPassword, null, new PrintStream(new ByteArrayOutputStream())));
    assertTrue(e.getMessage().startsWith("cannot connect to " + pg.url() + " as chatbot"), e.getMessage());
    JdbcTarget secret = JdbcTarget.fromEnvironment(pg.url() + "?password=hunter2", SCHEMA,
        Map.of(JdbcTarget.USER_ENV, "u", JdbcTarget.PASSWORD_ENV, "p4ss"));
    assertFalse(secret.toString().contains("hunter2") || secret.toString().contains("p4ss"), secret.toString());
  }

  @Test
  @Order(6)
  void aChangedTableIsRefusedNotOverwritten() throws Exception {
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA drift");
      s.execute("CREATE TABLE drift.roi (period_grain text, period_start date)");
    }
    JdbcTarget drift = new JdbcTarget(pg.url(), "drift", PostgresServer.USER, pg.password());
    UserException e = assertThrows(UserException.class, () -> JdbcExport.write(tables, OutputTables.EXPORTED,
        drift, null, new PrintStream(new ByteArrayOutputStream())));
    assertTrue(e.getMessage().contains("drift.roi has columns [period_grain, period_start]"), e.getMessage());
  }

  // --- rows as comparable text: one line per row, columns joined by '|', sorted ---

  static List<String> sparkRows(Dataset<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row r : rows.collectAsList()) { // gold tables of a small test lake
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        b.append(i == 0 ? "" : "|").append(text(r.isNullAt(i) ? null
            : r.get(i) instanceof scala.collection.Seq<?> ? r.getList(i).toArray() : r.get(i)));
      }
      out.add(b.toString());
    }
    Collections.sort(out);
    return out;
  }

  static List<String> pgRows(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          String type = md.getColumnTypeName(i);
          Object v = type.equals("timestamptz") ? rs.getObject(i, OffsetDateTime.class)
              : type.equals("date") ? rs.getObject(i, LocalDate.class)
              : type.startsWith("_") ? (rs.getArray(i) == null ? null : rs.getArray(i).getArray())
              : rs.getObject(i);
          b.append(i == 1 ? "" : "|").append(text(v));
        }
        out.add(b.toString());
      }
    }
    Collections.sort(out);
    return out;
  }

  private static String text(Object v) {
    if (v == null) {
      return "null";
    } else if (v instanceof Timestamp t) {
      return t.toInstant().toString();
    } else if (v instanceof OffsetDateTime t) {
      return t.toInstant().toString();
    } else if (v instanceof Date d) {
      return d.toLocalDate().toString();
    } else if (v instanceof BigDecimal d) {
      return d.stripTrailingZeros().toPlainString();
    } else if (v instanceof Object[] a) {
      return Arrays.toString(a);
    }
    return v.toString();
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String columnType(Connection c, String table, String column) throws SQLException {
    return pgRows(c, "SELECT data_type FROM information_schema.columns WHERE table_schema = '" + SCHEMA
        + "' AND table_name = '" + table + "' AND column_name = '" + column + "'").get(0);
  }
}
