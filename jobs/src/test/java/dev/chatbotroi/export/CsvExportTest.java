package dev.chatbotroi.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.CommandRun;
import dev.chatbotroi.common.DealsTable;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.IngestedFilesTable;
import dev.chatbotroi.common.JobRunsTable;
import dev.chatbotroi.common.LeadsTable;
import dev.chatbotroi.pipeline.OutputTables;
import dev.chatbotroi.common.QuarantineTable;
import dev.chatbotroi.common.TableSchema;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.TicketsTable;
import dev.chatbotroi.ingest.IngestJob;
import dev.chatbotroi.testing.Files2;
import dev.chatbotroi.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV export (docs/reference.md#exports) and the schema of every table written, checked against its constants class. */
@org.junit.jupiter.api.Tag("pipeline")
class CsvExportTest {

  @TempDir static Path dir;
  static Tables tables;

  @BeforeAll
  static void ingestSmallLake() {
    Path lake = dir.resolve("lake");
    Files2.write(lake.resolve("events/a.ndjson"),
        "{\"event_id\":\"e1\",\"event_name\":\"chat_opened\",\"event_ts\":\"2026-03-05T14:03:00Z\",\"anonymous_id\":\"a\",\"conversation_id\":\"c\",\"channel\":\"web\"}",
        "{\"event_id\":\"e2\",\"event_name\":\"chat_opened\",\"event_ts\":\"2026-03-05T14:03:00Z\",\"anonymous_id\":\"a\",\"channel\":\"web\"}",
        "{\"event_id\":\"e3\",\"event_name\":\"chat_opened\",\"event_ts\":\"x\",\"anonymous_id\":\"a\",\"channel\":\"web\",\"note\":\"comma, \\\"quote\\\"\"}");
    Files2.write(lake.resolve("crm/leads.csv"),
        "lead_id,created_at,source,email,status,mql_at,sql_at,meeting_booked_at,meeting_qualified",
        "L-1,2026-03-01,chatbot,a@example.com,new,,,,true");
    Files2.write(lake.resolve("crm/deals.csv"),
        "deal_id,lead_id,contact_email,created_at,closed_at,stage,amount,gross_profit,currency",
        "D-1,L-1,,2026-03-01,2026-03-09,closed_won,100.5,,USD");
    Files2.write(lake.resolve("helpdesk/tickets.csv"),
        "ticket_id,created_at,anonymous_id,lead_id,conversation_id,intent,channel,csat_score",
        "T-1,2026-03-02,a,,c,billing,web,5");
    tables = new Tables(TestSpark.session(), dir.resolve("wh").toString());
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    CommandRun.logged(tables, "ingest", null, null, (t, runId) ->
        IngestJob.run(t, lake.toString(), TestSpark.settings(), TestSpark.HASH_KEY, runId, quiet).counts());
  }

  @Test
  void everyWrittenTableHasTheSchemaOfItsConstantsClass() {
    for (TableSchema t : List.of(EventsTable.TABLE, QuarantineTable.TABLE, JobRunsTable.TABLE,
        LeadsTable.TABLE, DealsTable.TABLE, TicketsTable.TABLE, IngestedFilesTable.TABLE)) {
      StructType actual = TestSpark.session().read().format("delta").load(tables.path(t)).schema();
      assertEquals(t.schema().simpleString(), actual.simpleString(), t.name());
    }
  }

  @Test
  void exportsEveryExistingOutputTableButEvents() throws Exception {
    Path out = dir.resolve("csv");
    List<String> written = CsvExport.write(tables, OutputTables.EXPORTED, out.toString(), false);
    assertEquals(2, written.size());
    try (var files = Files.list(out)) {
      assertEquals(List.of("job_runs.csv", "quarantine.csv"),
          files.map(p -> p.getFileName().toString()).sorted().toList(), "one file per table, nothing else");
    }
    List<String> q = Files.readAllLines(out.resolve("quarantine.csv"));
    assertEquals(String.join(",", QuarantineTable.TABLE.columns()), q.get(0), "header in table order");
    assertEquals(3, q.size(), "header + 2 quarantined lines (a raw line with a comma is quoted on one line)");
    assertTrue(q.stream().anyMatch(l -> l.startsWith("events,") && l.contains(",missing_field,conversation_id,")), q.toString());
    assertTrue(q.stream().anyMatch(l -> l.contains("\"{\"\"event_id\"\":\"\"e3\"\"")), "RFC 4180 quoting: " + q);
    List<String> runs = Files.readAllLines(out.resolve("job_runs.csv"));
    assertEquals(String.join(",", JobRunsTable.TABLE.columns()), runs.get(0));
    String[] cells = runs.get(1).split(",", -1);
    assertEquals(JobRunsTable.TABLE.columns().length, cells.length);
    assertTrue(cells[2].matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?Z"), cells[2]);
    assertEquals("", cells[5], "null from_date is an empty cell");
    assertEquals("3", cells[7], "lines_read");
    assertFalse(Files.exists(out.resolve("events.csv")));
  }

  @Test
  void parquetSnapshotsReadBackEqual() {
    Path out = dir.resolve("parquet");
    List<String> written = ParquetExport.write(tables, OutputTables.EXPORTED, out.toString());
    assertEquals(2, written.size());
    for (TableSchema t : List.of(QuarantineTable.TABLE, JobRunsTable.TABLE)) {
      var back = TestSpark.session().read().parquet(out.resolve(t.name()).toString());
      assertEquals(t.schema().simpleString(), back.schema().simpleString(), t.name());
      assertEquals(dev.chatbotroi.testing.DataFrameAssert.sortedText(tables.read(t)),
          dev.chatbotroi.testing.DataFrameAssert.sortedText(back), t.name());
    }
  }

  @Test
  void catalogRegistrationIsIdempotent() {
    List<String> first = dev.chatbotroi.common.Catalog.register(tables, "chatbot_roi_test", OutputTables.registrable());
    List<String> second = dev.chatbotroi.common.Catalog.register(tables, "chatbot_roi_test", OutputTables.registrable());
    assertEquals(List.of("chatbot_roi_test.events", "chatbot_roi_test.quarantine", "chatbot_roi_test.job_runs"), first);
    assertEquals(first, second);
    assertEquals(tables.read(QuarantineTable.TABLE).count(),
        TestSpark.session().table("chatbot_roi_test.quarantine").count());
    org.junit.jupiter.api.Assertions.assertThrows(dev.chatbotroi.common.UserException.class,
        () -> dev.chatbotroi.common.Catalog.register(tables, "bad name; drop", OutputTables.registrable()));
  }

  @Test
  void valuesAreFormattedAsTheContractSays() {
    StructType schema = new StructType()
        .add("ts", DataTypes.TimestampType).add("ts_frac", DataTypes.TimestampType)
        .add("d", DataTypes.DateType).add("x", DataTypes.DoubleType).add("small", DataTypes.DoubleType)
        .add("m", dev.chatbotroi.common.Schemas.MONEY).add("b", DataTypes.BooleanType)
        .add("n", DataTypes.StringType);
    Row in = RowFactory.create(Timestamp.from(Instant.parse("2026-03-05T14:03:00Z")),
        Timestamp.from(Instant.parse("2026-03-05T14:03:00.250Z")), Date.valueOf("2026-03-05"),
        0.1 + 0.2, 0.0001, new BigDecimal("84.500000"), true, null);
    Row out = CsvExport.formatted(TestSpark.session().createDataFrame(List.of(in), schema), false).first();
    assertEquals("2026-03-05T14:03:00Z", out.getString(0));
    assertEquals("2026-03-05T14:03:00.25Z", out.getString(1));
    assertEquals("2026-03-05", out.getString(2));
    assertEquals("0.3", out.getString(3));
    assertEquals("0.0001", out.getString(4), "no scientific notation");
    assertEquals("84.5", out.getString(5));
    assertEquals("true", out.getString(6));
    assertEquals(null, out.get(7));
  }
}
