package dev.chatbotroi;

import static dev.chatbotroi.testing.Events.ev;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.pipeline.OutputTables;
import dev.chatbotroi.common.Pii;
import dev.chatbotroi.common.QuarantineTable;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.export.CsvExport;
import dev.chatbotroi.generate.LakeGenerator;
import dev.chatbotroi.testing.Files2;
import dev.chatbotroi.testing.Runs;
import dev.chatbotroi.testing.TestSpark;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated lake plus the lines no generator makes: a byte-order mark, CRLF endings, a 30 MB line,
 * invalid UTF-8, a NUL byte, a 5,000-deep object, addresses in a question and in ids, a formula.
 * The counts reconcile, each bad line is one quarantine row with its reason, and no raw address is
 * anywhere in the warehouse or the export, as a user grepping the bytes would check.
 */
@org.junit.jupiter.api.Tag("pipeline")
class HostileInputTest {

  @TempDir static Path dir;
  static Tables tables;
  static Path csv;

  static final String TYPED = "Ana.Silva@Example.com";
  static final String VISITOR = "visitor@example.org";
  static final String BUYER = "buyer@example.net";
  static final String FORMULA = "=HYPERLINK(\"http://evil.example/x\",\"click\")";

  @BeforeAll
  static void ingestTheLake() throws IOException {
    Path lake = dir.resolve("lake");
    LakeGenerator.generate(lake, new LakeGenerator.Options(LocalDate.parse("2026-03-02"), 2, 4, 5L));
    String t = "2026-03-03T10:00:";
    // a Windows tool's file: byte-order mark, CRLF; a visitor id and a user id that are addresses
    List<String> windows = List.of(
        ev("h-1", "chat_opened", t + "00Z", "c-h", VISITOR, "\"user_id\":\"" + BUYER + "\""),
        ev("h-2", "user_message", t + "05Z", "c-h", VISITOR, "\"intent\":\"returns\""),
        ev("h-3", "bot_knowledge_gap", t + "06Z", "c-h", VISITOR,
            "\"properties\":{\"question\":\"My email is " + TYPED + ", can you check?\"}"),
        ev("h-4", "bot_knowledge_gap", t + "07Z", "c-h", VISITOR,
            "\"properties\":{\"question\":\"" + FORMULA.replace("\"", "\\\"") + "\"}"));
    write(lake.resolve("events/hostile/windows.ndjson"), out -> {
      out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
      for (String l : windows) {
        out.write((l + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
    });
    write(lake.resolve("events/hostile/bad.ndjson"), out -> {
      // line 1: a bot message carrying a 30 MB blob
      out.write(open(ev("h-5", "bot_message", t + "08Z", "c-h", VISITOR), "\"properties\":{\"blob\":\""));
      byte[] blob = new byte[1 << 20];
      java.util.Arrays.fill(blob, (byte) 'x');
      for (int i = 0; i < 30; i++) {
        out.write(blob);
      }
      out.write("\"}}\n".getBytes(StandardCharsets.UTF_8));
      // line 2: Latin-1, not UTF-8
      out.write(open(ev("h-6", "user_message", t + "09Z", "c-h", VISITOR), "\"flow\":\"caf"));
      out.write(new byte[] {(byte) 0xE9, '"', '}', '\n'});
      // line 3: a NUL byte inside a string (JSON forbids raw control characters)
      out.write(ev("h-7", "user_message", t + "10Z", "c-h", VISITOR, "\"flow\":\"a\u0000b\"")
          .getBytes(StandardCharsets.UTF_8));
      out.write('\n');
      // line 4: an object nested 5,000 deep
      out.write(("{\"event_id\":\"h-8\",\"properties\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5001) + "\n")
          .getBytes(StandardCharsets.UTF_8));
    });
    // the CRM lead whose id is the address the visitor sent as user_id, added to the generated leads.csv
    Path leads = lake.resolve("crm/leads.csv");
    List<String> header = List.of(Files.readAllLines(leads).get(0).split(","));
    String[] row = new String[header.size()];
    java.util.Arrays.fill(row, "");
    row[header.indexOf("lead_id")] = BUYER;
    row[header.indexOf("created_at")] = "2026-03-03T10:00:00Z";
    row[header.indexOf("source")] = "chatbot";
    row[header.indexOf("email")] = BUYER;
    Files.writeString(leads, String.join(",", row) + "\n", java.nio.file.StandardOpenOption.APPEND);
    tables = Runs.pipeline(lake, dir.resolve("wh"));
    csv = dir.resolve("csv");
    CsvExport.write(tables, OutputTables.EXPORTED, csv.toString(), false);
  }

  /** An event line left open after {@code member}, for bytes a string cannot hold. */
  static byte[] open(String line, String member) {
    return (line.substring(0, line.length() - 1) + "," + member).getBytes(StandardCharsets.UTF_8);
  }

  interface Body {
    void write(OutputStream out) throws IOException;
  }

  static void write(Path file, Body body) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
      body.write(out);
    }
  }

  @Test
  void theCountsReconcile() {
    List<Row> runs = Runs.jobRuns(tables);
    Row run = runs.get(runs.size() - 1);
    long read = run.getAs("lines_read");
    assertEquals(read, run.<Long>getAs("events_accepted") + run.<Long>getAs("duplicates")
        + run.<Long>getAs("quarantined"), "lines read = accepted + duplicates + quarantined");
    assertEquals("success", run.getAs("status"));
  }

  @Test
  void eachBadLineIsOneQuarantineRowWithItsReason() {
    Map<Long, Row> bad = new TreeMap<>();
    for (Row r : tables.read(QuarantineTable.TABLE).where("source_file LIKE '%hostile/%'").collectAsList()) {
      String raw = r.getAs("raw");
      long line = raw != null && raw.startsWith("{\"event_id\":\"h-5\"") ? 1 : raw != null && raw.contains("h-6") ? 2
          : raw != null && raw.contains("h-7") ? 3 : raw != null && raw.contains("h-8") ? 4 : -1;
      assertTrue(line > 0, "an unexpected quarantine row: " + r.getAs("source_file") + " " + r.getAs("reason"));
      assertNull(bad.put(line, r), "one row per bad line");
    }
    assertEquals(4, bad.size(), "the BOM and CRLF file is accepted whole; four bad lines: " + bad.keySet());
    assertEquals(List.of("malformed_json", "too_long"), List.of(bad.get(1L).getAs("reason"), bad.get(1L).getAs("detail")));
    assertTrue(bad.get(1L).<String>getAs("raw").getBytes(StandardCharsets.UTF_8).length <= 65_536, "64 KiB kept");
    assertEquals(List.of("malformed_json", "encoding"), List.of(bad.get(2L).getAs("reason"), bad.get(2L).getAs("detail")));
    assertEquals("malformed_json", bad.get(3L).getAs("reason"), "a NUL byte");
    assertEquals("malformed_json", bad.get(4L).getAs("reason"), "5,000 levels deep");
  }

  @Test
  void addressesAreHashedWhereverTheyWereSentAndStillLink() {
    Row c = tables.read(ConversationsTable.TABLE).where("conversation_id = 'c-h'").first();
    assertEquals(Pii.hash(TestSpark.HASH_KEY, VISITOR), c.getAs("anonymous_id"));
    assertEquals(Pii.hash(TestSpark.HASH_KEY, BUYER), c.getAs("lead_id"), "the user id that is an address");
    List<String> questions = c.getList(c.fieldIndex("gap_questions"));
    assertTrue(questions.contains("my email is " + Pii.hash(TestSpark.HASH_KEY, TYPED) + ", can you check"),
        questions.toString());
    // the hashed user id still joins the CRM lead whose id was the same address
    assertEquals(1, tables.read(dev.chatbotroi.common.LeadsTable.TABLE)
        .where(org.apache.spark.sql.functions.col("lead_id").equalTo(Pii.hash(TestSpark.HASH_KEY, BUYER))).count());
  }

  @Test
  void noRawAddressInAnyByteOfTheWarehouseOrTheExport() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path root : List.of(dir.resolve("wh"), csv)) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
          for (String address : List.of(TYPED, VISITOR, BUYER)) {
            if (text.contains(address.toLowerCase(Locale.ROOT))) {
              found.add(address + " in " + root.relativize(f));
            }
          }
        }
      }
    }
    // Parquet pages may be compressed: read every row of every table too
    try (Stream<Path> ts = Files.list(dir.resolve("wh"))) {
      for (Path t : ts.filter(p -> Files.isDirectory(p.resolve("_delta_log"))).toList()) {
        for (Row r : TestSpark.session().read().format("delta").load(t.toString()).collectAsList()) {
          String text = r.toString().toLowerCase(Locale.ROOT);
          for (String address : List.of(TYPED, VISITOR, BUYER)) {
            if (text.contains(address.toLowerCase(Locale.ROOT))) {
              found.add(address + " in a row of " + t.getFileName());
            }
          }
        }
      }
    }
    assertEquals(List.of(), found);
  }

  @Test
  void aFormulaInAQuestionIsExportedAsText() throws IOException {
    String gaps = Files.readString(csv.resolve("knowledge_gaps.csv"));
    assertTrue(gaps.contains("'=hyperlink("), "neutralised with a leading quote: " + gaps);
    assertFalse(gaps.lines().anyMatch(l -> l.contains(",=hyperlink(") || l.contains(",\"=hyperlink(")), gaps);
  }
}
