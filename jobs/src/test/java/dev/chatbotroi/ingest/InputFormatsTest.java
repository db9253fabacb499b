package dev.chatbotroi.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.CommandRun;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.common.LeadsTable;
import dev.chatbotroi.common.QuarantineTable;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.testing.Files2;
import dev.chatbotroi.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The input forms of docs/ingest.md#the-lake: NDJSON, .gz, Parquet, Hive-style folders, ignored files, a corrupt .gz. */
@org.junit.jupiter.api.Tag("pipeline")
class InputFormatsTest {

  @TempDir Path dir;

  private JobRun.Counts ingest(Path lake, Tables tables) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    return CommandRun.logged(tables, "ingest", null, null, (t, runId) ->
        IngestJob.run(t, lake.toString(), TestSpark.settings(), TestSpark.HASH_KEY, runId, quiet).counts());
  }

  static void gzip(Path file, String... lines) throws Exception {
    Files.createDirectories(file.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void ndjsonGzipParquetAndHiveFoldersAreReadAndToolFilesIgnored() throws Exception {
    Path lake = dir.resolve("lake");
    Files2.write(lake.resolve("events/dt=2026-04-01/a.json"), IngestJobTest.line("e1", "chat_opened", "2026-04-01T10:00:00Z"),
        "", "   ", IngestJobTest.line("e2", "user_message", "2026-04-01T10:00:01Z"));
    gzip(lake.resolve("events/dt=2026-04-02/b.ndjson.gz"), IngestJobTest.line("e3", "chat_opened", "2026-04-02T10:00:00Z"));
    Files2.write(lake.resolve("events/_SUCCESS"), "not data");
    Files2.write(lake.resolve("events/dt=2026-04-01/.a.json.crc"), "junk");
    Files2.write(lake.resolve("events/notes.txt"), "not data either");
    StructType props = new StructType().add("score", DataTypes.IntegerType);
    StructType schema = new StructType().add("event_id", DataTypes.StringType).add("event_name", DataTypes.StringType)
        .add("event_ts", DataTypes.TimestampType).add("anonymous_id", DataTypes.StringType)
        .add("conversation_id", DataTypes.StringType).add("channel", DataTypes.StringType)
        .add("properties", props);
    TestSpark.session().createDataFrame(Arrays.asList(
            RowFactory.create("p1", "csat_response", Timestamp.from(Instant.parse("2026-04-03T09:00:00Z")), "a", "c", "Web",
                RowFactory.create(5)),
            RowFactory.create("p2", "csat_response", Timestamp.from(Instant.parse("2026-04-03T09:00:01Z")), "a", "c", "web",
                RowFactory.create(9))),
        schema).coalesce(1).write().parquet(lake.resolve("events/dt=2026-04-03").toString());

    Tables tables = new Tables(TestSpark.session(), dir.resolve("wh").toString());
    // 2 + 1 + 2 lines; blank lines are not counted; p2 has a score out of range
    assertEquals(new JobRun.Counts(5, 4, 0, 1, 0, 0), ingest(lake, tables));
    Row p1 = tables.read(EventsTable.TABLE).where("event_id = 'p1'").first();
    assertEquals(5, (int) p1.<Integer>getAs("score"));
    assertEquals("web", p1.getAs("channel"));
    assertEquals(Timestamp.from(Instant.parse("2026-04-03T09:00:00Z")), p1.getAs("event_ts"));
    Row q = tables.read(QuarantineTable.TABLE).first();
    assertEquals("bad_property", q.getAs("reason"));
    assertTrue(q.<String>getAs("source_file").endsWith(".parquet"));
    assertEquals(List.of("e1", "e2", "e3", "p1"), tables.read(EventsTable.TABLE).orderBy("event_id")
        .select("event_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  @Test
  void aTruncatedGzipIsQuarantinedAsAFileAndTheRunGoesOn() throws Exception {
    Path lake = dir.resolve("lake");
    Path good = lake.resolve("events/good.ndjson");
    Files2.write(good, IngestJobTest.line("e1", "chat_opened", "2026-04-01T10:00:00Z"));
    Path full = dir.resolve("full.ndjson.gz");
    String[] many = new String[2000];
    for (int i = 0; i < many.length; i++) {
      many[i] = IngestJobTest.line("g" + i, "user_message", "2026-04-01T10:00:00Z");
    }
    gzip(full, many);
    byte[] bytes = Files.readAllBytes(full);
    Path broken = lake.resolve("events/broken.ndjson.gz");
    Files.write(broken, Arrays.copyOf(bytes, bytes.length / 2));

    Tables tables = new Tables(TestSpark.session(), dir.resolve("wh").toString());
    JobRun.Counts counts = ingest(lake, tables);
    Row q = tables.read(QuarantineTable.TABLE).where("reason = 'unreadable_file'").first();
    assertTrue(q.<String>getAs("source_file").endsWith("broken.ndjson.gz"));
    assertTrue(q.<String>getAs("detail").contains("EOF") || q.<String>getAs("detail").contains("Zip"), q.<String>getAs("detail"));
    // the good file and the lines before the break are in; the counts still reconcile
    assertTrue(counts.eventsAccepted() >= 1);
    assertEquals(counts.linesRead(), counts.eventsAccepted() + counts.duplicates() + counts.quarantined());
    assertEquals(1, tables.read(EventsTable.TABLE).where("event_id = 'e1'").count());
  }

  @Test
  void crmFoldersOfCsvAndParquetFilesNamedWithOrWithoutTheExtension() throws Exception {
    Path lake = dir.resolve("lake");
    Files2.write(lake.resolve("events/a.ndjson"), IngestJobTest.line("e1", "chat_opened", "2026-04-01T10:00:00Z"));
    // columns in another order, upper-case header: matched by name
    Files2.write(lake.resolve("crm/leads/2026-04-01.csv"),
        "SOURCE,Lead_Id,created_at,email", "chatbot,L-1,2026-04-01,x@example.com");
    StructType schema = new StructType().add("lead_id", DataTypes.StringType)
        .add("created_at", DataTypes.TimestampType).add("source", DataTypes.StringType);
    TestSpark.session().createDataFrame(List.of(
            RowFactory.create("L-2", Timestamp.from(Instant.parse("2026-04-02T23:30:00Z")), "form")), schema)
        .coalesce(1).write().parquet(lake.resolve("crm/leads/2026-04-02").toString());
    // a folder named like the file, as Spark writes one: crm/deals.csv/part-*.csv
    Files2.write(lake.resolve("crm/deals.csv/part-00000.csv"),
        "deal_id,lead_id,created_at,closed_at,stage,amount", "D-1,L-1,2026-04-01,2026-04-03,closed_won,10");
    Tables tables = new Tables(TestSpark.session(), dir.resolve("wh").toString());
    assertEquals(3, ingest(lake, tables).crmRowsRead());
    assertEquals(1, tables.read(dev.chatbotroi.common.DealsTable.TABLE).count(), "crm/deals.csv/ is a folder of deals");
    List<Row> leads = tables.read(LeadsTable.TABLE).orderBy("lead_id").collectAsList();
    assertEquals(2, leads.size());
    assertEquals("chatbot", leads.get(0).getAs("source"));
    // a Parquet timestamp is an instant: not re-read as local time
    assertEquals(Timestamp.from(Instant.parse("2026-04-02T23:30:00Z")), leads.get(1).getAs("created_at"));
  }
}
