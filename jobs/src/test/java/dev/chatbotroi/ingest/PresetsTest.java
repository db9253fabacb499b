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

/** Each built-in input preset (docs/inputs.md) over fixtures written from the vendor's documented format. */
@org.junit.jupiter.api.Tag("pipeline")
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

  /** Rows of any table as "col=value" (nulls left out), ordered by {@code order}. */
  static List<String> rows(Tables tables, dev.chatbotroi.common.TableSchema table, String order, String... cols) {
    List<String> out = new ArrayList<>();
    for (Row r : tables.read(table).orderBy(order).collectAsList()) {
      StringBuilder sb = new StringBuilder();
      for (String c : cols) {
        Object v = r.getAs(c);
        if (v == null) {
          continue;
        }
        if (v instanceof Timestamp t) {
          v = t.toInstant();
        } else if (v instanceof java.math.BigDecimal b) {
          v = b.stripTrailingZeros().toPlainString();
        }
        sb.append(sb.length() == 0 ? "" : " ").append(c).append('=').append(v);
      }
      out.add(sb.toString());
    }
    return out;
  }

  /** The event id a preset derives (`hash = [...]`): name-spaced first 32 hex of SHA-256 over the values joined by U+001F. */
  static String derivedId(String preset, String... values) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256")
          .digest(String.join("\u001f", values).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return preset + "-" + java.util.HexFormat.of().formatHex(d).substring(0, 32);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The stages after ingest a preset's assertions read: conversations and metrics (gold), and with
   * {@code attribution} the attribution stage; the reports beside them add nothing a preset changes.
   */
  static void downstream(Ingested in, Path lake, boolean attribution, String... settings) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    List<dev.chatbotroi.common.Stage> after = new java.util.ArrayList<>(dev.chatbotroi.pipeline.Pipeline.CONVERSATIONS);
    after.add(new dev.chatbotroi.metrics.MetricsStage());
    if (attribution) {
      after.addAll(dev.chatbotroi.pipeline.Pipeline.ATTRIBUTE);
    }
    dev.chatbotroi.pipeline.Pipeline.run(new dev.chatbotroi.common.StageContext(in.tables(), TestSpark.settings(settings),
        "run-2", lake.toString(), quiet, quiet), after, null);
  }

  static void downstream(Ingested in, Path lake, String... settings) {
    downstream(in, lake, false, settings);
  }

  /** The all-segment daily value of a metric, or null when the metric has no row that day. */
  static Double metric(Tables tables, String name, String day) {
    List<Row> r = tables.read(dev.chatbotroi.common.MetricsTable.TABLE)
        .where("metric = '" + name + "' and period_grain = 'day' and period_start = date'" + day + "'"
            + " and channel = '(all)' and flow = '(all)' and intent = '(all)'")
        .select("value").collectAsList();
    return r.isEmpty() || r.get(0).isNullAt(0) ? null : ((Number) r.get(0).get(0)).doubleValue();
  }

  static final String[] CONVERSATION = {"conversation_id", "anonymous_id", "channel", "intent", "start_ts",
      "end_ts", "engaged", "user_turns", "bot_turns", "fallback_turns", "resolved", "handed_off",
      "goal_completed", "csat_score", "lead_id", "outcome"};

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

  static final String[] LEAD = {"lead_id", "created_at", "source", "email_hash", "status", "mql_at", "sql_at"};
  static final String[] DEAL = {"deal_id", "lead_id", "created_at", "closed_at", "stage", "amount", "currency"};
  static final String[] TICKET = {"ticket_id", "created_at", "conversation_id", "intent", "channel", "csat_score"};

  @Test
  void segmentWithHubspotAndZendesk() throws Exception {
    Path lake = dir.resolve("lake");
    copy(resource("segment/calls.ndjson"), lake.resolve("events/calls.ndjson"));
    copy(resource("segment/batch.json"), lake.resolve("events/batch.json"));
    copy(resource("hubspot/contacts.csv"), lake.resolve("crm/leads/contacts.csv"));
    copy(resource("hubspot/deals.csv"), lake.resolve("crm/deals/deals.csv"));
    copy(resource("zendesk/tickets.json"), lake.resolve("helpdesk/tickets/tickets.json"));
    copy(resource("zendesk/tickets.csv"), lake.resolve("helpdesk/tickets/tickets.csv"));
    String[] settings = {"input.events.format=segment", "input.crm.format=hubspot", "input.helpdesk.format=zendesk"};
    Ingested in = ingest(lake, dir.resolve("wh"), settings);

    assertEquals(List.of(
        "seg-1 chat_opened 2026-04-01T10:00:00Z anonymous_id=anon-1 conversation_id=c-1 channel=web flow=support"
            + " intent=order_status page_type=pricing utm_source=google utm_medium=cpc utm_campaign=spring",
        "seg-2 user_message 2026-04-01T10:00:05Z anonymous_id=anon-1 conversation_id=c-1 channel=web page_type=home",
        "seg-3 bot_message 2026-04-01T10:00:07Z anonymous_id=anon-1 conversation_id=c-1 channel=web useful=true",
        "seg-4 csat_response 2026-04-01T10:00:10Z anonymous_id=anon-1 user_id=L-1 conversation_id=c-1 channel=web score=5",
        "b-1 chat_opened 2026-04-02T06:00:00Z anonymous_id=anon-2 conversation_id=c-2 channel=whatsapp"
            + " utm_source=newsletter utm_medium=email utm_campaign=april",
        "b-2 lead_captured_chat 2026-04-02T06:01:00Z anonymous_id=anon-2 user_id=L-2 conversation_id=c-2"
            + " channel=whatsapp utm_source=newsletter utm_medium=email utm_campaign=april lead_id=L-2 email_hash="
            + hash("b@example.com")),
        in.events());
    List<String> q = in.quarantine();
    assertEquals(7, q.size(), q.toString());
    // ordered by file, then raw; raw is the record as read, not the envelope made from it
    assertEquals("bad_property | amount | 9004,Bad deal,Closed Won,-5,2026-04-12 10:00,2026-04-05 09:00,Sales Pipeline,101,USD", q.get(0));
    assertTrue(q.get(1).startsWith("unmappable | hubspot: missing record id | contact id | hs_object_id | ,No,Id,"), q.get(1));
    assertTrue(q.get(2).startsWith("malformed_json | null | not json"), q.toString());
    assertTrue(q.get(3).startsWith("unmappable | segment: missing type | {\"event\":\"chat_opened\""), q.toString());
    assertTrue(q.get(4).startsWith("unmappable | segment: missing messageId | {\"type\":\"track\",\"event\":\"Live Chat Conversation Ended\""), q.toString());
    assertTrue(q.get(5).startsWith("bad_timestamp | event_ts | {\"type\":\"track\",\"event\":\"chat_opened\",\"messageId\":\"seg-10\""), q.toString());
    assertEquals("unmappable | zendesk: missing id | ticket id | {\"created_at\":\"2026-04-02T09:30:00Z\",\"via\":{\"channel\":\"web\"}}", q.get(6));
    assertTrue(!q.get(1).contains("nobody@example.com"), "addresses in raw CRM lines are hashed: " + q.get(1));
    // skipped on purpose: counted, not quarantined, not lines read
    assertEquals(Map.of("segment: page call", 1L, "segment: call identify", 1L,
        "segment: unmapped event 'Product Viewed'", 1L), in.result().skipped());
    assertEquals(10, in.result().counts().linesRead());
    assertEquals(6, in.result().counts().eventsAccepted());
    assertEquals(4, in.result().counts().quarantined());

    assertEquals(List.of(
        "lead_id=101 created_at=2026-04-01T10:05:00Z source=chatbot email_hash=" + hash("ana@example.com")
            + " status=OPEN mql_at=2026-04-02T09:00:00Z",
        "lead_id=102 created_at=2026-04-01T11:00:00Z source=form email_hash=" + hash("ben@example.com") + " status=NEW"),
        rows(in.tables(), dev.chatbotroi.common.LeadsTable.TABLE, "lead_id", LEAD));
    assertEquals(List.of(
        "deal_id=9001 lead_id=101 created_at=2026-04-03T09:00:00Z closed_at=2026-04-10T15:00:00Z stage=closed_won amount=1200.5 currency=USD",
        "deal_id=9002 lead_id=102 created_at=2026-04-04T09:00:00Z closed_at=2026-04-11T10:00:00Z stage=closed_lost amount=300 currency=USD",
        "deal_id=9003 created_at=2026-04-05T09:00:00Z stage=open amount=50 currency=USD"),
        rows(in.tables(), dev.chatbotroi.common.DealsTable.TABLE, "deal_id", DEAL));
    assertEquals(List.of(
        "ticket_id=35436 created_at=2026-04-01T10:30:00Z conversation_id=c-1 intent=order_status channel=web csat_score=5",
        "ticket_id=35437 created_at=2026-04-02T08:00:00Z channel=email csat_score=1",
        "ticket_id=35438 created_at=2026-04-02T09:00:00Z channel=web",
        "ticket_id=35500 created_at=2026-04-03T12:00:00Z conversation_id=c-2 channel=web csat_score=5",
        "ticket_id=35501 created_at=2026-04-03T13:00:00Z channel=email"),
        rows(in.tables(), dev.chatbotroi.common.TicketsTable.TABLE, "ticket_id", TICKET));

    downstream(in, lake, settings);
    assertEquals(List.of(
        "conversation_id=c-1 anonymous_id=anon-1 channel=web intent=order_status start_ts=2026-04-01T10:00:00Z"
            + " end_ts=2026-04-01T10:00:10Z engaged=true user_turns=1 bot_turns=1 fallback_turns=0 resolved=false"
            + " handed_off=false goal_completed=false csat_score=5 lead_id=L-1 outcome=abandoned",
        "conversation_id=c-2 anonymous_id=anon-2 channel=whatsapp intent=(none) start_ts=2026-04-02T06:00:00Z"
            + " end_ts=2026-04-02T06:01:00Z engaged=false user_turns=0 bot_turns=0 fallback_turns=0 resolved=false"
            + " handed_off=false goal_completed=false lead_id=L-2 outcome=not_engaged"),
        rows(in.tables(), dev.chatbotroi.common.ConversationsTable.TABLE, "conversation_id", CONVERSATION));
    assertEquals(1.0, metric(in.tables(), "conversations", "2026-04-01"));
    assertEquals(1.0, metric(in.tables(), "csat", "2026-04-01"));
    assertEquals(1.0, metric(in.tables(), "conversations", "2026-04-02"));
  }

  @Test
  void mixpanelWithSalesforce() throws Exception {
    Path lake = dir.resolve("lake");
    copy(resource("mixpanel/export.ndjson"), lake.resolve("events/export.ndjson"));
    copy(resource("salesforce/Lead.csv"), lake.resolve("crm/leads/Lead.csv"));
    copy(resource("salesforce/Opportunity.csv"), lake.resolve("crm/deals/Opportunity.csv"));
    String[] settings = {"input.events.format=mixpanel", "input.crm.format=salesforce"};
    Ingested in = ingest(lake, dir.resolve("wh"), settings);

    assertEquals(List.of(
        "mp-1 chat_opened 2026-04-01T10:00:00Z anonymous_id=dev-1 conversation_id=m-1 channel=messenger page_type=demo"
            + " utm_source=fb utm_medium=social utm_campaign=launch",
        "mp-2 user_message 2026-04-01T10:00:05.123Z anonymous_id=d-1 conversation_id=m-1 channel=web",
        "mp-3 bot_message 2026-04-01T10:00:06Z anonymous_id=d-1 conversation_id=m-1 channel=web useful=true",
        "mp-4 lead_captured_chat 2026-04-01T10:01:40Z anonymous_id=d-1 user_id=00Q1 conversation_id=m-1 channel=web"
            + " lead_id=00Q1 email_hash=" + hash("dee@example.com"),
        // no $insert_id: derived from event, distinct_id and time
        derivedId("mixpanel", "bot_resolved", "d-1", "1775037710")
            + " bot_resolved 2026-04-01T10:01:50Z anonymous_id=d-1 conversation_id=m-1 channel=web"),
        in.events());
    assertEquals(Map.of("mixpanel: internal event $delete", 1L, "mixpanel: internal event $identify", 1L,
        "mixpanel: unmapped event 'Signed Up'", 1L), in.result().skipped());
    List<String> q = in.quarantine();
    assertEquals(3, q.size(), q.toString());
    assertEquals("bad_property | currency | 0064,Euro deal,Closed Won,true,true,900,2026-04-17,2026-04-06T11:00:00.000+0000,EUR,,", q.get(0));
    assertTrue(q.get(1).startsWith("unmappable | mixpanel: missing properties.time | {\"event\":\"chat_closed\""), q.toString());
    assertTrue(q.get(2).startsWith("unmappable | mixpanel: missing event | {\"properties\""), q.toString());

    assertEquals(List.of(
        "lead_id=00Q1 created_at=2026-04-01T10:00:00Z source=chatbot email_hash=" + hash("dee@example.com")
            + " status=Closed - Converted mql_at=2026-04-02T08:00:00Z sql_at=2026-04-03T00:00:00Z",
        "lead_id=00Q2 created_at=2026-04-01T11:00:00Z source=form email_hash=" + hash("eve@example.com")
            + " status=Open - Not Contacted"),
        rows(in.tables(), dev.chatbotroi.common.LeadsTable.TABLE, "lead_id", LEAD));
    assertEquals(List.of(
        "deal_id=0061 lead_id=00Q1 created_at=2026-04-05T10:00:00Z closed_at=2026-04-15T00:00:00Z stage=closed_won amount=5000 currency=USD",
        "deal_id=0062 lead_id=0032 created_at=2026-04-05T11:00:00Z closed_at=2026-04-16T00:00:00Z stage=closed_lost amount=100 currency=USD",
        "deal_id=0063 created_at=2026-04-06T11:00:00Z closed_at=2026-05-01T00:00:00Z stage=open amount=700 currency=USD"),
        rows(in.tables(), dev.chatbotroi.common.DealsTable.TABLE, "deal_id", DEAL));

    downstream(in, lake, true, settings);
    assertEquals(List.of(
        "conversation_id=m-1 anonymous_id=dev-1 channel=messenger intent=(none) start_ts=2026-04-01T10:00:00Z"
            + " end_ts=2026-04-01T10:01:50Z engaged=true user_turns=1 bot_turns=1 fallback_turns=0 resolved=true"
            + " handed_off=false goal_completed=false lead_id=00Q1 outcome=resolved"),
        rows(in.tables(), dev.chatbotroi.common.ConversationsTable.TABLE, "conversation_id", CONVERSATION));
    assertEquals(1.0, metric(in.tables(), "resolution_rate", "2026-04-01"));
    // the won Salesforce opportunity of the lead the chat captured is attributed to that chat
    assertEquals(List.of("m-1"), in.tables().read(dev.chatbotroi.common.AttributionCreditsTable.TABLE)
        .where("deal_id = '0061'").select("touch_id").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  @Test
  void ga4NdjsonAndParquetExports() throws Exception {
    Path lake = dir.resolve("lake");
    copy(resource("ga4/events_20260401.json"), lake.resolve("events/events_20260401.json"));
    org.apache.spark.sql.types.StructType value = new org.apache.spark.sql.types.StructType()
        .add("string_value", "string").add("int_value", "long").add("float_value", "double").add("double_value", "double");
    org.apache.spark.sql.types.StructType param = new org.apache.spark.sql.types.StructType()
        .add("key", "string").add("value", value);
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("event_timestamp", "long").add("event_name", "string")
        .add("event_params", org.apache.spark.sql.types.DataTypes.createArrayType(param))
        .add("user_pseudo_id", "string").add("user_id", "string");
    TestSpark.session().createDataFrame(List.of(org.apache.spark.sql.RowFactory.create(1775037900000000L, "chat_closed",
            List.of(org.apache.spark.sql.RowFactory.create("conversation_id",
                org.apache.spark.sql.RowFactory.create("g-1", null, null, null))), "123.456", null)), schema)
        .coalesce(1).write().parquet(lake.resolve("events/parquet").toString());
    Ingested in = ingest(lake, dir.resolve("wh"), "input.events.format=ga4");

    assertEquals(List.of(
        derivedId("ga4", "123.456", "1775037600000000", "chat_opened", "1", "", "1775037000")
            + " chat_opened 2026-04-01T10:00:00Z anonymous_id=123.456 conversation_id=g-1 channel=web"
            + " page_type=checkout utm_source=google utm_medium=cpc utm_campaign=spring",
        derivedId("ga4", "123.456", "1775037605000000", "user_message", "2", "", "1775037000")
            + " user_message 2026-04-01T10:00:05Z anonymous_id=123.456 user_id=L-7 conversation_id=g-1 channel=web"
            + " intent=pricing utm_source=(direct) utm_medium=(none) utm_campaign=(direct)",
        derivedId("ga4", "123.456", "1775037606000000", "bot_message", "", "", "")
            + " bot_message 2026-04-01T10:00:06Z anonymous_id=123.456 conversation_id=g-1 channel=web useful=true",
        derivedId("ga4", "123.456", "1775037660000000", "csat_response", "", "", "")
            + " csat_response 2026-04-01T10:01:00Z anonymous_id=123.456 conversation_id=g-1 channel=web score=4",
        derivedId("ga4", "123.456", "1775037900000000", "chat_closed", "", "", "")
            + " chat_closed 2026-04-01T10:05:00Z anonymous_id=123.456 conversation_id=g-1 channel=web"),
        in.events());
    assertEquals(Map.of("ga4: unmapped event_name 'page_view'", 1L), in.result().skipped());
    List<String> q = in.quarantine();
    assertEquals(1, q.size(), q.toString());
    assertTrue(q.get(0).startsWith("unmappable | ga4: missing event_timestamp | {\"event_date\":\"20260401\",\"event_name\":\"chat_closed\""), q.get(0));

    downstream(in, lake, "input.events.format=ga4");
    assertEquals(List.of(
        "conversation_id=g-1 anonymous_id=123.456 channel=web intent=pricing start_ts=2026-04-01T10:00:00Z"
            + " end_ts=2026-04-01T10:05:00Z engaged=true user_turns=1 bot_turns=1 fallback_turns=0 resolved=false"
            + " handed_off=false goal_completed=false csat_score=4 lead_id=L-7 outcome=abandoned"),
        rows(in.tables(), dev.chatbotroi.common.ConversationsTable.TABLE, "conversation_id", CONVERSATION));
    assertEquals(1.0, metric(in.tables(), "csat", "2026-04-01"));
  }

  @Test
  void rasaTrackerAndEventBrokerMessages() throws Exception {
    Path lake = dir.resolve("lake");
    copy(resource("rasa/tracker.json"), lake.resolve("events/tracker.json"));
    copy(resource("rasa/broker.ndjson"), lake.resolve("events/broker.ndjson"));
    Ingested in = ingest(lake, dir.resolve("wh"), "input.events.format=rasa");

    String s1 = "conversation_id=s-1/1775037600100 channel=web";
    String s1b = "conversation_id=s-1/1775124000100 channel=web";
    assertEquals(List.of(
        "chat_opened 2026-04-01T10:00:00.100Z anonymous_id=s-1 " + s1,
        "user_message 2026-04-01T10:00:01.500Z anonymous_id=s-1 " + s1 + " intent=greet",
        "chat_engaged 2026-04-01T10:00:01.500Z anonymous_id=s-1 " + s1 + " intent=greet",
        "bot_message 2026-04-01T10:00:01.700Z anonymous_id=s-1 " + s1,
        "user_message 2026-04-01T10:00:10.250Z anonymous_id=s-1 " + s1 + " intent=nlu_fallback",
        "bot_fallback 2026-04-01T10:00:10.300Z anonymous_id=s-1 " + s1 + " reason=action_default_fallback",
        "user_message 2026-04-01T10:00:20Z anonymous_id=s-1 " + s1 + " intent=order_status",
        "bot_message 2026-04-01T10:00:20.200Z anonymous_id=s-1 " + s1,
        "bot_resolved 2026-04-01T10:00:20.300Z anonymous_id=s-1 " + s1,
        "chat_opened 2026-04-02T10:00:00.100Z anonymous_id=s-1 " + s1b,
        "user_message 2026-04-02T10:00:05Z anonymous_id=s-1 " + s1b + " intent=human_handoff",
        "bot_handoff_human 2026-04-02T10:00:05Z anonymous_id=s-1 " + s1b + " intent=human_handoff reason=human_handoff",
        "user_message 2026-04-03T10:00:00.500Z anonymous_id=s-2 conversation_id=s-2 channel=messenger intent=pricing_basics",
        "chat_engaged 2026-04-03T10:00:00.500Z anonymous_id=s-2 conversation_id=s-2 channel=messenger intent=pricing_basics",
        "bot_message 2026-04-03T10:00:01Z anonymous_id=s-2 conversation_id=s-2 channel=web",
        "bot_goal_completed 2026-04-03T10:00:02Z anonymous_id=s-2 conversation_id=s-2 channel=web goal=action_goal_completed",
        "user_message 2026-04-03T10:00:03Z anonymous_id=s-2 conversation_id=s-2 channel=messenger"),
        in.events().stream().map(e -> e.substring(e.indexOf(' ') + 1)).toList());
    // ids are derived; a second event from one record takes the first one's id plus its name
    List<String> ids = in.events().stream().map(e -> e.substring(0, e.indexOf(' '))).toList();
    assertEquals(ids.size(), ids.stream().distinct().count());
    assertTrue(ids.get(0).startsWith("rasa-"), ids.get(0));
    assertEquals(ids.get(1) + ":chat_engaged", ids.get(2));
    assertEquals(Map.of("rasa: tracker event action", 7L, "rasa: tracker event slot", 1L,
        "rasa: utterance of a fallback action", 1L), in.result().skipped());
    List<String> q = in.quarantine();
    assertEquals(1, q.size(), q.toString());
    assertTrue(q.get(0).startsWith("unmappable | rasa: missing event | {\"sender_id\":\"s-2\",\"timestamp\""), q.get(0));

    downstream(in, lake, "input.events.format=rasa");
    assertEquals(List.of(
        "conversation_id=s-1/1775037600100 anonymous_id=s-1 channel=web intent=greet start_ts=2026-04-01T10:00:00.100Z"
            + " end_ts=2026-04-01T10:00:20.300Z engaged=true user_turns=3 bot_turns=3 fallback_turns=1 resolved=true"
            + " handed_off=false goal_completed=false outcome=resolved",
        "conversation_id=s-1/1775124000100 anonymous_id=s-1 channel=web intent=human_handoff start_ts=2026-04-02T10:00:00.100Z"
            + " end_ts=2026-04-02T10:00:05Z engaged=true user_turns=1 bot_turns=0 fallback_turns=0 resolved=false"
            + " handed_off=true goal_completed=false outcome=handed_off",
        "conversation_id=s-2 anonymous_id=s-2 channel=messenger intent=pricing_basics start_ts=2026-04-03T10:00:00.500Z"
            + " end_ts=2026-04-03T10:00:03Z engaged=true user_turns=2 bot_turns=1 fallback_turns=0 resolved=false"
            + " handed_off=false goal_completed=true outcome=completed"),
        rows(in.tables(), dev.chatbotroi.common.ConversationsTable.TABLE, "conversation_id", CONVERSATION));
    assertEquals(1.0 / 3, metric(in.tables(), "fallback_rate", "2026-04-01"), 1e-9);

    // the same broker messages delivered again in a new file: the derived ids make them duplicates
    copy(resource("rasa/broker.ndjson"), lake.resolve("events/broker-again.ndjson"));
    IngestJob.Result again = IngestJob.run(in.tables(), lake.toString(), TestSpark.settings("input.events.format=rasa"),
        TestSpark.HASH_KEY, "run-3", new PrintStream(new ByteArrayOutputStream()));
    assertEquals(new dev.chatbotroi.common.JobRun.Counts(6, 0, 5, 1, 0, 0), again.counts());
  }

  @Test
  void botFrameworkTranscriptAndActivities() throws Exception {
    Path lake = dir.resolve("lake");
    copy(resource("botframework/bf-1.transcript"), lake.resolve("events/bf-1.transcript"));
    copy(resource("botframework/activities.ndjson"), lake.resolve("events/activities.ndjson"));
    Ingested in = ingest(lake, dir.resolve("wh"), "input.events.format=botframework");

    String bf1 = " anonymous_id=user-1 conversation_id=bf-1 channel=web";
    String bf2 = " anonymous_id=u-2 conversation_id=bf-2 channel=teams intent=billing";
    assertEquals(List.of(
        "bf-1/a0 chat_opened 2026-04-01T10:00:00Z" + bf1,
        "bf-1/a1 bot_message 2026-04-01T10:00:01Z" + bf1,
        "bf-1/a2 user_message 2026-04-01T10:00:05Z" + bf1,
        "bf-1/a2:chat_engaged chat_engaged 2026-04-01T10:00:05Z" + bf1,
        "bf-1/a4 bot_message 2026-04-01T10:00:07Z" + bf1,
        "bf-1/a5 bot_handoff_human 2026-04-01T10:00:09Z" + bf1 + " reason=user asked for an agent",
        "bf-1/a6 user_message 2026-04-01T10:00:12Z" + bf1,
        "bf-1/a7 chat_closed 2026-04-01T10:00:15Z" + bf1,
        "bf-2/b1 user_message 2026-04-02T09:00:00Z" + bf2,
        "bf-2/b1:chat_engaged chat_engaged 2026-04-02T09:00:00Z" + bf2),
        in.events());
    assertEquals(Map.of("botframework: activity typing", 1L, "botframework: activity trace", 1L),
        in.result().skipped());
    List<String> q = in.quarantine();
    assertEquals(2, q.size(), q.toString());
    assertTrue(q.get(0).startsWith("unmappable | botframework: missing from.role | {\"type\":\"message\",\"id\":\"b2\""), q.get(0));
    assertTrue(q.get(1).startsWith("unmappable | botframework: missing timestamp | localTimestamp | {\"type\":\"message\",\"id\":\"b4\""), q.get(1));

    downstream(in, lake, "input.events.format=botframework");
    assertEquals(List.of(
        "conversation_id=bf-1 anonymous_id=user-1 channel=web intent=(none) start_ts=2026-04-01T10:00:00Z end_ts=2026-04-01T10:00:15Z"
            + " engaged=true user_turns=2 bot_turns=2 fallback_turns=0 resolved=false handed_off=true"
            + " goal_completed=false outcome=handed_off",
        "conversation_id=bf-2 anonymous_id=u-2 channel=teams intent=billing start_ts=2026-04-02T09:00:00Z"
            + " end_ts=2026-04-02T09:00:00Z engaged=true user_turns=1 bot_turns=0 fallback_turns=0 resolved=false"
            + " handed_off=false goal_completed=false outcome=abandoned"),
        rows(in.tables(), dev.chatbotroi.common.ConversationsTable.TABLE, "conversation_id", CONVERSATION));
    assertEquals(1.0, metric(in.tables(), "handoff_rate", "2026-04-01"));
  }
}
