package dev.chatbotroi.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.CommandRun;
import dev.chatbotroi.common.JobRun;
import dev.chatbotroi.common.JobRunsTable;
import dev.chatbotroi.common.QuarantineTable;
import dev.chatbotroi.common.SpendTable;
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
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `marketing/spend.csv` through ingest: last row and later file win per key, incrementality, counts, layout. */
class SpendIngestTest {

  @TempDir Path dir;

  static final String HEADER = "date,channel,campaign,amount,currency";

  private String ingest(Path lake, Path warehouse) {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(console, true, StandardCharsets.UTF_8);
    Tables tables = new Tables(TestSpark.session(), warehouse.toString());
    CommandRun.logged(tables, "ingest", null, null, (t, runId) -> {
      IngestJob.Result r = IngestJob.run(t, lake.toString(), TestSpark.settings(), TestSpark.HASH_KEY, runId, err);
      err.println(r.summary());
      return r.counts();
    });
    return console.toString(StandardCharsets.UTF_8);
  }

  /** The spend table as "date channel campaign amount file" lines. */
  private static List<String> spend(Tables t) {
    return t.read(SpendTable.TABLE).collectAsList().stream()
        .map(r -> r.getDate(0) + " " + r.getString(1) + " " + r.getString(2) + " "
            + r.getDecimal(3).stripTrailingZeros().toPlainString() + " " + r.getString(4) + " "
            + r.getString(5).substring(r.getString(5).lastIndexOf('/') + 1))
        .sorted().toList();
  }

  @Test
  void lastRowAndLaterFileWinAndOnlyANewFileChangesKeys() {
    Path lake = dir.resolve("lake");
    Path wh = dir.resolve("wh");
    Files2.write(lake.resolve("events/a.ndjson"), IngestJobTest.line("e1", "chat_opened", "2026-03-01T10:00:00Z"));
    Files2.write(lake.resolve("crm/leads.csv"),
        "lead_id,created_at,source,email,status,mql_at,sql_at,meeting_booked_at,meeting_qualified",
        "L-1,2026-03-01,chatbot,x@example.com,new,,,,");
    // a folder named like the file, as Spark writes one; its files are taken in path order
    Files2.write(lake.resolve("marketing/spend.csv/part-00000.csv"), HEADER,
        "2026-03-01,email,newsletter,10.00,USD",
        "2026-03-01,paid_search,brand,50.00,",
        "2026-03-01,email,newsletter,12.00,USD",
        "2026-03-02,social,,7.00,",
        "2026-03-02,social,,-1,");
    Files2.write(lake.resolve("marketing/spend.csv/part-00001.csv"), HEADER,
        "2026-03-01,paid_search,brand,55.00,",
        "2026-03-03,EMAIL,newsletter,11.00,");
    String console = ingest(lake, wh);
    Tables t = new Tables(TestSpark.session(), wh.toString());
    assertEquals(List.of(
        "2026-03-01 email newsletter 12 USD part-00000.csv",
        "2026-03-01 paid_search brand 55 USD part-00001.csv",
        "2026-03-02 social (none) 7 USD part-00000.csv",
        "2026-03-03 email newsletter 11 USD part-00001.csv"), spend(t),
        "the last row of a key in a file wins, and the later file of the folder");
    Row q = t.read(QuarantineTable.TABLE).where("source = 'spend'").first();
    assertEquals("bad_property", q.getAs("reason"));
    assertEquals("amount", q.getAs("detail"));
    assertEquals("2026-03-02,social,,-1,", q.getAs("raw"));
    Row run = t.read(JobRunsTable.TABLE).first();
    assertEquals(1L + 5 + 2, (long) run.getAs("crm_rows_read"), "1 lead row and 7 spend rows");
    assertEquals(1L, (long) run.getAs("crm_rows_quarantined"));
    assertTrue(console.contains("crm/help-desk/spend rows 8 read, 1 quarantined"), console);

    // the same files again: nothing read, nothing changed (not even the run that wrote a row)
    List<String> before = DataFrameAssert.sortedText(t.read(SpendTable.TABLE));
    ingest(lake, wh);
    assertEquals(before, DataFrameAssert.sortedText(t.read(SpendTable.TABLE)));
    assertEquals(1, t.read(QuarantineTable.TABLE).where("source = 'spend'").count());

    // a re-delivery under a new name replaces the keys it holds, although its name sorts first
    Files2.write(lake.resolve("marketing/spend.csv/a-correction.csv"), HEADER, "2026-03-02, Social ,,8.50,usd");
    ingest(lake, wh);
    assertEquals(List.of(
        "2026-03-01 email newsletter 12 USD part-00000.csv",
        "2026-03-01 paid_search brand 55 USD part-00001.csv",
        "2026-03-02 social (none) 8.5 USD a-correction.csv",
        "2026-03-03 email newsletter 11 USD part-00001.csv"), spend(t));
    List<Row> runs = t.read(JobRunsTable.TABLE).orderBy("started_at").collectAsList();
    assertEquals(List.of(8L, 0L, 1L), runs.stream().map(r -> (Long) r.getAs("crm_rows_read")).toList());
    assertEquals(List.of(1L, 0L, 0L), runs.stream().map(r -> (Long) r.getAs("crm_rows_quarantined")).toList());
  }

  @Test
  void theLakeListsTheSpendFileOrTheCsvFilesOfAFolderOfThatName() throws IOException {
    Path lake = dir.resolve("lake");
    Files2.write(lake.resolve("events/a.ndjson"), "{}");
    Configuration conf = dev.chatbotroi.testing.TestSpark.hadoopConf();
    assertEquals(List.of(), spendFiles(lake, conf), "marketing/ is optional");
    Files2.write(lake.resolve("marketing/spend/ignored.csv"), HEADER);
    assertEquals(List.of(), spendFiles(lake, conf), "no folder without the extension");
    Path folder = lake.resolve("marketing/spend.csv");
    Files2.write(folder.resolve("b/part-1.csv"), HEADER);
    Files2.write(folder.resolve("a.csv.gz"), HEADER);
    Files2.write(folder.resolve("_SUCCESS"), "");
    Files2.write(folder.resolve(".part-1.csv.crc"), "x");
    Files2.write(folder.resolve("part-2.parquet"), "x");
    Files2.write(folder.resolve("notes.txt"), "x");
    assertEquals(List.of("a.csv.gz", "b/part-1.csv"), spendFiles(lake, conf), "CSV files, in path order");
    Files2.deleteQuietly(folder);
    Files2.write(folder, HEADER);
    assertEquals(List.of("spend.csv"), spendFiles(lake, conf));
    assertTrue(Files.isRegularFile(folder));
  }

  private static List<String> spendFiles(Path lake, Configuration conf) {
    String prefix = lake.toAbsolutePath() + "/marketing/spend.csv";
    return LakeFiles.list(lake.toString(), conf, Set.of(), false).stream()
        .filter(f -> f.source().equals(SpendRecords.SOURCE))
        .map(f -> {
          String p = java.net.URI.create(f.path()).getPath();
          return p.startsWith(prefix + "/") ? p.substring(prefix.length() + 1) : p.substring(p.lastIndexOf('/') + 1);
        })
        .toList();
  }
}
