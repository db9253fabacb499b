package dev.chatbotroi.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.CommandRun;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.common.JobRunsTable;
import dev.chatbotroi.common.QuarantineTable;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.testing.DataFrameAssert;
import dev.chatbotroi.testing.Files2;
import dev.chatbotroi.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest stage end to end on small lakes: counts, incrementality, de-duplication, PII. */
@org.junit.jupiter.api.Tag("pipeline")
class IngestJobTest {

  @TempDir Path dir;

  static final Path EXAMPLE = Path.of("src/test/resources/examples/worked-example.ndjson");

  record Outcome(JobRun.Counts counts, String console) {}

  private Outcome ingest(Path lake, Path warehouse) {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(console, true, StandardCharsets.UTF_8);
    Tables tables = new Tables(TestSpark.session(), warehouse.toString());
    JobRun.Counts counts = CommandRun.logged(tables, "ingest", null, null, (t, runId) -> {
      IngestJob.Result r = IngestJob.run(t, lake.toString(), TestSpark.settings(), TestSpark.HASH_KEY, runId, err);
      err.println(r.summary());
      return r.counts();
    });
    return new Outcome(counts, console.toString(StandardCharsets.UTF_8));
  }

  private Tables tables(Path warehouse) {
    return new Tables(TestSpark.session(), warehouse.toString());
  }

  @Test
  void workedExampleCountsAsTheContractSays() throws IOException {
    assertTrue(Files.exists(EXAMPLE), "the worked example is expected at " + EXAMPLE.toAbsolutePath());
    Path lake = dir.resolve("lake");
    Files.createDirectories(lake.resolve("events"));
    Files.copy(EXAMPLE, lake.resolve("events/events.ndjson"));
    Outcome o = ingest(lake, dir.resolve("wh"));
    // 20 lines read = 17 accepted + 1 duplicate (e-011 again) + 2 quarantined
    assertEquals(new JobRun.Counts(20, 17, 1, 2, 0, 0), o.counts());
    Tables t = tables(dir.resolve("wh"));
    List<String> q = DataFrameAssert.sortedText(t.read(QuarantineTable.TABLE).select("reason", "detail"));
    assertEquals(List.of("[bad_property,score]", "[missing_field,event_id]"), q);
    Row jobRun = t.read(JobRunsTable.TABLE).collectAsList().get(0);
    assertEquals(20L, (long) jobRun.getAs("lines_read"));
    assertEquals(17L, (long) jobRun.getAs("events_accepted"));
    assertEquals(1L, (long) jobRun.getAs("duplicates"));
    assertEquals(2L, (long) jobRun.getAs("quarantined"));
    assertEquals("success", jobRun.getAs("status"));
    Row e002 = t.read(EventsTable.TABLE).where("event_id = 'e-002'").first();
    assertEquals("web", e002.getAs("channel"));
    assertTrue(o.console().contains("20 lines read, 17 accepted, 1 duplicates, 2 quarantined"), o.console());
  }

  @Test
  void secondRunReadsNothingAndAThirdReadsOnlyTheNewFile() {
    Path lake = dir.resolve("lake");
    Path wh = dir.resolve("wh");
    Files2.write(lake.resolve("events/dt=2026-04-01/a.ndjson"),
        line("e1", "chat_opened", "2026-04-01T10:00:00Z"),
        line("e2", "user_message", "2026-04-01T10:00:05Z"),
        "{not json");
    Files2.write(lake.resolve("crm/leads.csv"),
        "lead_id,created_at,source,email,status,mql_at,sql_at,meeting_booked_at,meeting_qualified",
        "L-1,2026-04-01,chatbot,x@example.com,new,,,,",
        "L-2,nope,form,,new,,,,");
    ingest(lake, wh);
    Tables t = tables(wh);
    Dataset<Row> events1 = t.read(EventsTable.TABLE).drop("ingested_at", "run_id");
    List<String> eventsBefore = DataFrameAssert.sortedText(events1);
    List<String> quarantineBefore = DataFrameAssert.sortedText(t.read(QuarantineTable.TABLE));
    List<String> leadsBefore = DataFrameAssert.sortedText(t.read(dev.chatbotroi.common.LeadsTable.TABLE));

    Outcome second = ingest(lake, wh);
    assertEquals(JobRun.Counts.NONE, second.counts());
    assertEquals(eventsBefore, DataFrameAssert.sortedText(t.read(EventsTable.TABLE).drop("ingested_at", "run_id")));
    assertEquals(quarantineBefore, DataFrameAssert.sortedText(t.read(QuarantineTable.TABLE)));
    assertEquals(leadsBefore, DataFrameAssert.sortedText(t.read(dev.chatbotroi.common.LeadsTable.TABLE)));

    Files2.write(lake.resolve("events/dt=2026-04-02/b.ndjson"),
        line("e3", "chat_opened", "2026-04-02T10:00:00Z"));
    Outcome third = ingest(lake, wh);
    assertEquals(new JobRun.Counts(1, 1, 0, 0, 0, 0), third.counts());
    List<Row> runs = t.read(JobRunsTable.TABLE).orderBy("started_at").collectAsList();
    assertEquals(List.of(3L, 0L, 1L), runs.stream().map(r -> (Long) r.getAs("lines_read")).toList());
    assertEquals(List.of(2L, 0L, 0L), runs.stream().map(r -> (Long) r.getAs("crm_rows_read")).toList());
  }

  @Test
  void aRunThatDiedBeforeRecordingItsFilesIsRedoneWithoutDoubleCounting() {
    Path lake = dir.resolve("lake");
    Path wh = dir.resolve("wh");
    Files2.write(lake.resolve("events/a.ndjson"), line("e1", "chat_opened", "2026-04-01T10:00:00Z"),
        line("e2", "user_message", "2026-04-01T10:00:05Z"), "{not json");
    TestSpark.session().createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("p1", "chat_opened",
                "2026-04-01T11:00:00Z", "anon-2", "c-2", "web"), org.apache.spark.sql.RowFactory.create("p2",
                "chat_opened", "soon", "anon-2", "c-2", "web")),
            new org.apache.spark.sql.types.StructType().add("event_id", "string").add("event_name", "string")
                .add("event_ts", "string").add("anonymous_id", "string").add("conversation_id", "string")
                .add("channel", "string"))
        .coalesce(1).write().parquet(lake.resolve("events/pq").toString());
    JobRun.Counts first = ingest(lake, wh).counts();
    assertEquals(new JobRun.Counts(5, 3, 0, 2, 0, 0), first);
    // the run dies after writing events and quarantine but before its last commit, the file list
    tables(wh).deleteWhere(dev.chatbotroi.common.IngestedFilesTable.TABLE, org.apache.spark.sql.functions.lit(true));
    JobRun.Counts retry = ingest(lake, wh).counts();
    assertEquals(first, retry, "the retry counts the files as new, not as duplicates of themselves");
    assertEquals(3, tables(wh).read(EventsTable.TABLE).count());
    assertEquals(2, tables(wh).read(QuarantineTable.TABLE).count(), "quarantine rows are not repeated");
  }

  @Test
  void aChangedFileIsReportedAndNotReRead() throws IOException {
    Path lake = dir.resolve("lake");
    Path wh = dir.resolve("wh");
    Path f = Files2.write(lake.resolve("events/a.ndjson"), line("e1", "chat_opened", "2026-04-01T10:00:00Z"));
    ingest(lake, wh);
    Files.writeString(f, line("e1", "chat_opened", "2026-04-01T10:00:00Z") + "\n"
        + line("e9", "chat_opened", "2026-04-01T11:00:00Z") + "\n");
    Outcome o = ingest(lake, wh);
    assertEquals(JobRun.Counts.NONE, o.counts());
    assertTrue(o.console().contains("WARNING") && o.console().contains("a.ndjson changed since run"), o.console());
    assertTrue(o.console().contains("1 changed (not re-read)"), o.console());
    assertEquals(1, tables(wh).read(EventsTable.TABLE).count());
  }

  @Test
  void theSameEventInTwoFilesAndTwoRunsIsStoredOnce() {
    Path lake = dir.resolve("lake");
    Path wh = dir.resolve("wh");
    // same id, different payload: the copy with the smallest (file, line) is kept
    Files2.write(lake.resolve("events/a.ndjson"), line("e1", "chat_opened", "2026-04-01T10:00:00Z"));
    Files2.write(lake.resolve("events/b.ndjson"), line("e1", "chat_opened", "2026-04-01T10:00:09Z"),
        line("e1", "chat_opened", "2026-04-01T10:00:09Z"));
    Outcome first = ingest(lake, wh);
    assertEquals(new JobRun.Counts(3, 1, 2, 0, 0, 0), first.counts());
    Files2.write(lake.resolve("events/c.ndjson"), line("e1", "chat_opened", "2026-04-01T10:00:07Z"));
    Outcome second = ingest(lake, wh);
    assertEquals(new JobRun.Counts(1, 0, 1, 0, 0, 0), second.counts());
    List<Row> stored = tables(wh).read(EventsTable.TABLE).collectAsList();
    assertEquals(1, stored.size());
    assertTrue(stored.get(0).<String>getAs("source_file").endsWith("a.ndjson"));
    assertEquals(1L, (long) stored.get(0).<Long>getAs("line_number"));
  }

  @Test
  void purchasesAreDeduplicatedByOrderIdKeepingTheEarliest() {
    Path lake = dir.resolve("lake");
    Path wh = dir.resolve("wh");
    Files2.write(lake.resolve("events/a.ndjson"),
        purchase("p2", "2026-04-01T12:00:00Z", "O-1"),
        purchase("p1", "2026-04-01T11:00:00Z", "O-1"),
        purchase("p3", "2026-04-01T13:00:00Z", "O-2"));
    assertEquals(new JobRun.Counts(3, 2, 1, 0, 0, 0), ingest(lake, wh).counts());
    Files2.write(lake.resolve("events/b.ndjson"), purchase("p4", "2026-04-01T10:00:00Z", "O-2"));
    assertEquals(new JobRun.Counts(1, 0, 1, 0, 0, 0), ingest(lake, wh).counts());
    assertEquals(List.of("[p1]", "[p3]"),
        DataFrameAssert.sortedText(tables(wh).read(EventsTable.TABLE).select("event_id")));
  }

  @Test
  void noRawEmailReachesTablesFilesOrConsole() throws IOException {
    Path lake = dir.resolve("lake");
    Path wh = dir.resolve("wh");
    String a = "Ana.Silva@Example.com";
    String b = "bob.stone@example.org";
    String c = "carla+crm@example.net";
    Files2.write(lake.resolve("events/a.ndjson"),
        "{\"event_id\":\"e1\",\"event_name\":\"lead_captured_chat\",\"event_ts\":\"2026-04-01T10:00:00Z\","
            + "\"anonymous_id\":\"a\",\"conversation_id\":\"c\",\"channel\":\"web\",\"properties\":{\"lead_id\":\"L-1\",\"email\":\" " + a + "\"}}",
        // quarantined (bad timestamp), with an address in a free-text field
        "{\"event_id\":\"e2\",\"event_name\":\"user_message\",\"event_ts\":\"soon\",\"anonymous_id\":\"" + b + "\","
            + "\"conversation_id\":\"c\",\"channel\":\"web\"}",
        "{broken " + b);
    Files2.write(lake.resolve("crm/leads.csv"),
        "lead_id,created_at,source,email,status,mql_at,sql_at,meeting_booked_at,meeting_qualified",
        "L-1,2026-04-01,chatbot," + a + ",new,,,,",
        "L-2,bad,form," + c + ",new,,,,");
    Files2.write(lake.resolve("crm/deals.csv"),
        "deal_id,lead_id,contact_email,created_at,closed_at,stage,amount,gross_profit,currency",
        "D-1,," + c + ",2026-04-01,2026-04-05,closed_won,100,,USD");
    Outcome o = ingest(lake, wh);
    List<String> raw = List.of(a, b, c, a.toLowerCase(), "ana.silva", "bob.stone", "carla+crm");

    for (String table : List.of("events", "quarantine", "leads", "deals", "job_runs")) {
      Dataset<Row> rows = TestSpark.session().read().format("delta").load(wh.resolve(table).toString());
      for (String line : DataFrameAssert.sortedText(rows)) {
        for (String r : raw) {
          assertFalse(line.contains(r), table + " holds " + r + ": " + line);
        }
      }
    }
    try (Stream<Path> files = Files.walk(wh)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String bytes = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        for (String r : raw) {
          assertFalse(bytes.contains(r), p + " holds " + r);
        }
      }
    }
    for (String r : raw) {
      assertFalse(o.console().contains(r), "console holds " + r);
    }
    // and the hashes are there: the address is replaced, not dropped
    Row q = tables(wh).read(QuarantineTable.TABLE).where("raw like '%soon%'").first();
    assertTrue(q.<String>getAs("raw").contains(dev.chatbotroi.common.Pii.hash(TestSpark.HASH_KEY, b)));
    Row e = tables(wh).read(EventsTable.TABLE).first();
    assertEquals(dev.chatbotroi.common.Pii.hash(TestSpark.HASH_KEY, "ana.silva@example.com"), e.getAs("email_hash"));
  }

  @Test
  void anEventsTableWrittenBeforeTheAssignmentPropertiesStillTakesAppends() {
    Path wh = dir.resolve("wh");
    Tables t = tables(wh);
    // the events table as a version without experiment / variant wrote it, with one row
    org.apache.spark.sql.types.StructType old = new org.apache.spark.sql.types.StructType(
        java.util.Arrays.stream(EventsTable.TABLE.schema().fields())
            .filter(f -> !f.name().equals("experiment") && !f.name().equals("variant"))
            .toArray(org.apache.spark.sql.types.StructField[]::new));
    Dataset<Row> before = TestSpark.session().read().schema(EventsTable.TABLE.schema())
        .json(TestSpark.session().createDataset(List.of("{\"event_id\":\"old-1\",\"event_name\":\"chat_opened\","
            + "\"event_ts\":\"2026-04-01T10:00:00Z\",\"anonymous_id\":\"a\",\"conversation_id\":\"c\","
            + "\"channel\":\"web\",\"event_date\":\"2026-04-01\"}"), org.apache.spark.sql.Encoders.STRING()))
        .select(java.util.Arrays.stream(old.fieldNames()).map(org.apache.spark.sql.functions::col)
            .toArray(org.apache.spark.sql.Column[]::new));
    before.write().format("delta").partitionBy(EventsTable.EVENT_DATE).save(t.path(EventsTable.TABLE));
    assertFalse(List.of(TestSpark.session().read().format("delta").load(t.path(EventsTable.TABLE)).columns())
        .contains("variant"));

    Path lake = dir.resolve("lake");
    Files2.write(lake.resolve("events/dt=2026-04-02/part-0.ndjson"),
        "{\"event_id\":\"x-1\",\"event_name\":\"experiment_assigned\",\"event_ts\":\"2026-04-02T09:00:00Z\","
            + "\"anonymous_id\":\"a\",\"channel\":\"web\",\"properties\":{\"experiment\":\"Bot_Holdout\","
            + "\"variant\":\" Holdout\"}}");
    Outcome o = ingest(lake, wh);
    assertEquals(1, o.counts().eventsAccepted(), o.console());
    List<String> stored = DataFrameAssert.sortedText(tables(wh).read(EventsTable.TABLE)
        .select("event_id", "experiment", "variant"));
    assertEquals(List.of("[old-1,null,null]", "[x-1,bot_holdout,holdout]"), stored);
  }

  static String line(String id, String name, String ts) {
    return "{\"event_id\":\"" + id + "\",\"event_name\":\"" + name + "\",\"event_ts\":\"" + ts
        + "\",\"anonymous_id\":\"anon-1\",\"conversation_id\":\"c-1\",\"channel\":\"web\"}";
  }

  static String purchase(String id, String ts, String order) {
    return "{\"event_id\":\"" + id + "\",\"event_name\":\"purchase_after_chat\",\"event_ts\":\"" + ts
        + "\",\"anonymous_id\":\"anon-1\",\"conversation_id\":\"c-1\",\"channel\":\"web\","
        + "\"properties\":{\"order_id\":\"" + order + "\",\"revenue\":10.5}}";
  }
}
