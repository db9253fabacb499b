package dev.chatbotroi.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.CommandRun;
import dev.chatbotroi.common.JobRunsTable;
import dev.chatbotroi.common.QuarantineTable;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reconciliation on a generated lake with bad records of every kind, read from the job_runs row. */
@org.junit.jupiter.api.Tag("pipeline")
class GeneratedLakeIngestTest {

  @TempDir Path dir;

  @Test
  void linesReadEqualAcceptedPlusDuplicatesPlusQuarantined() throws Exception {
    Path lake = dir.resolve("lake");
    LakeGenerator.Summary generated =
        LakeGenerator.generate(lake, new LakeGenerator.Options(LocalDate.parse("2026-03-02"), 14, 80, 11L));
    Tables tables = new Tables(TestSpark.session(), dir.resolve("wh").toString());
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    CommandRun.logged(tables, "ingest", null, null, (t, runId) ->
        IngestJob.run(t, lake.toString(), TestSpark.settings(), TestSpark.HASH_KEY, runId, quiet).counts());

    Row run = tables.read(JobRunsTable.TABLE).first();
    long read = run.getAs("lines_read");
    long accepted = run.getAs("events_accepted");
    long duplicates = run.getAs("duplicates");
    long quarantined = run.getAs("quarantined");
    assertEquals(read, accepted + duplicates + quarantined);
    // every line the generator wrote was read; every bad line it wrote was quarantined
    assertEquals(generated.eventLines(), read);
    assertEquals(generated.badLines(), quarantined);
    assertTrue(duplicates > 0, "the generator re-delivers some events");
    assertEquals(accepted, tables.read(dev.chatbotroi.common.EventsTable.TABLE).count());

    Set<String> reasons = new HashSet<>();
    for (Row r : tables.read(QuarantineTable.TABLE).select("source", "reason").distinct().collectAsList()) {
      reasons.add(r.getString(0) + ":" + r.getString(1));
    }
    for (String reason : List.of("malformed_json", "missing_field", "unknown_event", "bad_timestamp",
        "missing_property", "bad_property")) {
      assertTrue(reasons.contains("events:" + reason), "events quarantined for " + reason + ": " + reasons);
    }
    for (String source : List.of("leads", "deals", "tickets", "spend")) {
      assertTrue(reasons.stream().anyMatch(r -> r.startsWith(source + ":")), source + " rows quarantined: " + reasons);
    }
    long crmRead = run.getAs("crm_rows_read");
    long crmQuarantined = run.getAs("crm_rows_quarantined");
    assertEquals(crmQuarantined, tables.read(QuarantineTable.TABLE).where("source <> 'events'").count());
    assertTrue(crmRead > crmQuarantined && crmQuarantined > 0);
  }
}
