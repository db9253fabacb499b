package dev.chatbotroi.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.Pii;
import dev.chatbotroi.common.QuarantineTable;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each built-in input preset (CONTRACT §8) over fixtures written from the vendor's documented format. */
class PresetsTest {

  @TempDir Path dir;

  /** One ingest of a lake through the settings given; the tables and the result. */
  record Ingested(Tables tables, IngestJob.Result result) {
    List<String> events() {
      List<String> out = new ArrayList<>();
      for (Row r : tables.read(EventsTable.TABLE).orderBy("event_ts", "event_id").collectAsList()) {
        out.add(render(r));
      }
      return out;
    }

    /** reason | detail | raw, ordered by file and raw. */
    List<String> quarantine() {
      List<String> out = new ArrayList<>();
      for (Row r : tables.read(QuarantineTable.TABLE).orderBy("source_file", "raw").collectAsList()) {
        out.add(r.getAs("reason") + " | " + r.getAs("detail") + " | " + r.getAs("raw"));
      }
      return out;
    }
  }

  /** The fields a preset fills, in envelope order; absent ones are left out. */
  static String render(Row r) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.<String>getAs("event_id")).append(' ').append(r.<String>getAs("event_name")).append(' ')
        .append(r.<Timestamp>getAs("event_ts").toInstant());
    for (String f : List.of("anonymous_id", "user_id", "conversation_id", "channel", "flow", "intent",
        "page_type", "utm_source", "utm_medium", "utm_campaign", "useful", "reason", "goal", "score",
        "lead_id", "email_hash", "order_id", "revenue")) {
      Object v = r.getAs(f);
      if (v != null && !(f.equals("useful") && Boolean.FALSE.equals(v))) {
        sb.append(' ').append(f).append('=').append(v);
      }
    }
    return sb.toString();
  }

  static Path resource(String name) {
    return Path.of("src/test/resources/presets").resolve(name);
  }

  static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.copy(from, to);
  }

  static Ingested ingest(Path lake, Path warehouse, String... settings) {
    Settings s = TestSpark.settings(settings);
    Tables tables = new Tables(TestSpark.session(), warehouse.toString());
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    IngestJob.Result r = IngestJob.run(tables, lake.toString(), s, TestSpark.HASH_KEY, "run-1",
        new PrintStream(new ByteArrayOutputStream()));
    return new Ingested(tables, r);
  }

  static String hash(String email) {
    return Pii.hash(TestSpark.HASH_KEY, email);
  }

  @Test
  void segmentTrackPageAndBatchCalls() throws Exception {
    Path lake = dir.resolve("lake");
    copy(resource("segment/calls.ndjson"), lake.resolve("events/calls.ndjson"));
    copy(resource("segment/batch.json"), lake.resolve("events/batch.json"));
    Ingested in = ingest(lake, dir.resolve("wh"), "input.events.format=segment");

    assertEquals(List.of(
        "seg-1 chat_opened 2026-04-01T10:00:00Z anonymous_id=anon-1 conversation_id=c-1 channel=web flow=support"
            + " intent=order_status page_type=pricing utm_source=google utm_medium=cpc utm_campaign=spring",
        "seg-2 user_message 2026-04-01T10:00:05Z anonymous_id=anon-1 conversation_id=c-1 channel=web page_type=home",
        "seg-3 bot_message 2026-04-01T10:00:07Z anonymous_id=anon-1 conversation_id=c-1 channel=web useful=true",
        "seg-4 csat_response 2026-04-01T10:00:10Z anonymous_id=anon-1 user_id=L-1 conversation_id=c-1 channel=web"
            + " score=5 lead_id=L-1",
        "b-1 chat_opened 2026-04-02T06:00:00Z anonymous_id=anon-2 conversation_id=c-2 channel=whatsapp"
            + " utm_source=newsletter utm_medium=email utm_campaign=april",
        "b-2 lead_captured_chat 2026-04-02T06:01:00Z anonymous_id=anon-2 user_id=L-2 conversation_id=c-2"
            + " channel=whatsapp utm_source=newsletter utm_medium=email utm_campaign=april lead_id=L-2 email_hash="
            + hash("b@example.com")),
        in.events());
    List<String> q = in.quarantine();
    assertEquals(4, q.size(), q.toString());
    // ordered by raw; raw is the line as read, not the envelope made from it
    assertTrue(q.get(0).startsWith("malformed_json | null | not json"), q.toString());
    assertTrue(q.get(1).startsWith("unmappable | segment: missing type | {\"event\":\"chat_opened\""), q.toString());
    assertTrue(q.get(2).startsWith("unmappable | segment: missing messageId | {\"type\":\"track\",\"event\":\"Live Chat Conversation Ended\""), q.toString());
    assertTrue(q.get(3).startsWith("bad_timestamp | event_ts | {\"type\":\"track\",\"event\":\"chat_opened\",\"messageId\":\"seg-10\""), q.toString());
    // skipped on purpose: counted, not quarantined, not lines read
    assertEquals(Map.of("segment: page call", 1L, "segment: call identify", 1L,
        "segment: unmapped event 'Product Viewed'", 1L), in.result().skipped());
    assertEquals(10, in.result().counts().linesRead());
    assertEquals(6, in.result().counts().eventsAccepted());
    assertEquals(4, in.result().counts().quarantined());
  }
}
