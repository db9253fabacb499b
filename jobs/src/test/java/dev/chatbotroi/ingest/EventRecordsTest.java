package dev.chatbotroi.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.chatbotroi.testing.TestSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Each quarantine reason of docs/ingest.md on a concrete bad line, the precedence order, and valid forms. */
class EventRecordsTest {

  static final String OK_BASE = "\"event_ts\":\"2026-04-06T13:58:31Z\",\"anonymous_id\":\"a1\",\"channel\":\"web\"";

  /** line, expected reason (null = valid), expected detail. */
  static final String[][] CASES = {
      {"{bad", "malformed_json", null},
      {"[1,2]", "malformed_json", null},
      {"\"just a string\"", "malformed_json", null},
      {"{\"event_id\":\"x\"} trailing", "malformed_json", null},
      {"{\"event_name\":\"chat_opened\",\"conversation_id\":\"c\"," + OK_BASE + "}", "missing_field", "event_id"},
      {"{\"event_id\":null,\"event_name\":\"chat_opened\",\"conversation_id\":\"c\"," + OK_BASE + "}", "missing_field", "event_id"},
      {"{\"event_id\":\"  \",\"event_name\":\"chat_opened\",\"conversation_id\":\"c\"," + OK_BASE + "}", "missing_field", "event_id"},
      {"{\"event_id\":\"e\",\"conversation_id\":\"c\"," + OK_BASE + "}", "missing_field", "event_name"},
      {"{\"event_id\":\"e\",\"event_name\":\"Chat_Opened\",\"conversation_id\":\"c\"," + OK_BASE + "}", "unknown_event", "event_name"},
      {"{\"event_id\":\"e\",\"event_name\":\"page_view\",\"conversation_id\":\"c\"," + OK_BASE + "}", "unknown_event", "event_name"},
      {"{\"event_id\":\"e\",\"event_name\":\"chat_opened\",\"conversation_id\":\"c\",\"anonymous_id\":\"a\",\"channel\":\"web\"}", "missing_field", "event_ts"},
      {"{\"event_id\":\"e\",\"event_name\":\"chat_opened\",\"conversation_id\":\"c\",\"event_ts\":\"2026-04-06 13:58:31\",\"anonymous_id\":\"a\",\"channel\":\"web\"}", "bad_timestamp", "event_ts"},
      {"{\"event_id\":\"e\",\"event_name\":\"chat_opened\",\"conversation_id\":\"c\",\"event_ts\":\"2026-02-30T10:00:00Z\",\"anonymous_id\":\"a\",\"channel\":\"web\"}", "bad_timestamp", "event_ts"},
      {"{\"event_id\":\"e\",\"event_name\":\"chat_opened\",\"conversation_id\":\"c\",\"event_ts\":\"1775483911000\",\"anonymous_id\":\"a\",\"channel\":\"web\"}", "bad_timestamp", "event_ts"},
      {"{\"event_id\":\"e\",\"event_name\":\"chat_opened\",\"conversation_id\":\"c\",\"event_ts\":1.5,\"anonymous_id\":\"a\",\"channel\":\"web\"}", "bad_timestamp", "event_ts"},
      {"{\"event_id\":\"e\",\"event_name\":\"chat_opened\",\"conversation_id\":\"c\",\"event_ts\":\"2026-04-06T13:58:31Z\",\"channel\":\"web\"}", "missing_field", "anonymous_id"},
      {"{\"event_id\":\"e\",\"event_name\":\"chat_opened\",\"conversation_id\":\"c\",\"event_ts\":\"2026-04-06T13:58:31Z\",\"anonymous_id\":\"a\"}", "missing_field", "channel"},
      {"{\"event_id\":\"e\",\"event_name\":\"user_message\"," + OK_BASE + "}", "missing_field", "conversation_id"},
      {"{\"event_id\":\"e\",\"event_name\":\"csat_response\",\"conversation_id\":\"c\"," + OK_BASE + ",\"properties\":{}}", "missing_property", "score"},
      {"{\"event_id\":\"e\",\"event_name\":\"bot_knowledge_gap\",\"conversation_id\":\"c\"," + OK_BASE + ",\"properties\":{\"question\":\" \"}}", "missing_property", "question"},
      {"{\"event_id\":\"e\",\"event_name\":\"lead_captured_chat\",\"conversation_id\":\"c\"," + OK_BASE + "}", "missing_property", "lead_id"},
      {"{\"event_id\":\"e\",\"event_name\":\"purchase_after_chat\",\"conversation_id\":\"c\"," + OK_BASE + ",\"properties\":{\"revenue\":5}}", "missing_property", "order_id"},
      {"{\"event_id\":\"e\",\"event_name\":\"purchase_after_chat\",\"conversation_id\":\"c\"," + OK_BASE + ",\"properties\":{\"order_id\":\"o\"}}", "missing_property", "revenue"},
      {"{\"event_id\":\"e\",\"event_name\":\"marketing_touch\"," + OK_BASE + ",\"properties\":{\"touch_channel\":null}}", "missing_property", "touch_channel"},
      {"{\"event_id\":\"e\",\"event_name\":\"csat_response\",\"conversation_id\":\"c\"," + OK_BASE + ",\"properties\":{\"score\":\"five\"}}", "bad_property", "score"},
      {"{\"event_id\":\"e\",\"event_name\":\"csat_response\",\"conversation_id\":\"c\"," + OK_BASE + ",\"properties\":{\"score\":7}}", "bad_property", "score"},
      {"{\"event_id\":\"e\",\"event_name\":\"csat_response\",\"conversation_id\":\"c\"," + OK_BASE + ",\"properties\":{\"score\":4.0}}", "bad_property", "score"},
      {"{\"event_id\":\"e\",\"event_name\":\"bot_message\",\"conversation_id\":\"c\"," + OK_BASE + ",\"properties\":{\"useful\":\"yes\"}}", "bad_property", "useful"},
      {"{\"event_id\":\"e\",\"event_name\":\"purchase_after_chat\",\"conversation_id\":\"c\"," + OK_BASE + ",\"properties\":{\"order_id\":\"o\",\"revenue\":-1}}", "bad_property", "revenue"},
      {"{\"event_id\":\"e\",\"event_name\":\"purchase_after_chat\",\"conversation_id\":\"c\"," + OK_BASE + ",\"properties\":{\"order_id\":\"o\",\"revenue\":\"84.5\"}}", "bad_property", "revenue"},
      {"{\"event_id\":\"e\",\"event_name\":\"purchase_after_chat\",\"conversation_id\":\"c\"," + OK_BASE + ",\"properties\":{\"order_id\":\"o\",\"revenue\":84.5,\"currency\":\"EUR\"}}", "bad_property", "currency"},
      {"{\"event_id\":\"e\",\"event_name\":\"chat_opened\",\"conversation_id\":\"c\",\"event_ts\":\"2026-04-06T13:58:31Z\",\"anonymous_id\":123,\"channel\":\"web\"}", "bad_property", "anonymous_id"},
      {"{\"event_id\":7,\"event_name\":\"chat_opened\",\"conversation_id\":\"c\"," + OK_BASE + "}", "bad_property", "event_id"},
      {"{\"event_id\":\"e\",\"event_name\":\"chat_opened\",\"conversation_id\":\"c\"," + OK_BASE + ",\"properties\":\"x\"}", "bad_property", "properties"},
      // experiment_assigned: no conversation_id needed; experiment and variant required strings
      {"{\"event_id\":\"e\",\"event_name\":\"experiment_assigned\"," + OK_BASE + ",\"properties\":{\"variant\":\"bot\"}}", "missing_property", "experiment"},
      {"{\"event_id\":\"e\",\"event_name\":\"experiment_assigned\"," + OK_BASE + ",\"properties\":{\"experiment\":\"x\",\"variant\":\"  \"}}", "missing_property", "variant"},
      {"{\"event_id\":\"e\",\"event_name\":\"experiment_assigned\"," + OK_BASE + ",\"properties\":{\"experiment\":\"x\",\"variant\":2}}", "bad_property", "variant"},
      {"{\"event_id\":\"e\",\"event_name\":\"experiment_assigned\",\"event_ts\":\"2026-04-06T13:58:31Z\",\"channel\":\"web\",\"properties\":{\"experiment\":\"x\",\"variant\":\"bot\"}}", "missing_field", "anonymous_id"},
      // precedence: the first rule in the check order of docs/ingest.md names the reason
      {"{\"event_name\":\"chat_opened\",\"event_ts\":\"yesterday\",\"anonymous_id\":\"a\",\"channel\":\"web\"}", "missing_field", "event_id"},
      {"{\"event_id\":\"e\",\"event_name\":\"nope\",\"anonymous_id\":\"a\",\"channel\":\"web\"}", "unknown_event", "event_name"},
      {"{\"event_id\":\"e\",\"event_name\":\"chat_opened\",\"event_ts\":\"yesterday\",\"anonymous_id\":\"a\"}", "bad_timestamp", "event_ts"},
      {"{\"event_id\":\"e\",\"event_name\":\"csat_response\",\"event_ts\":\"2026-04-06T13:58:31Z\",\"anonymous_id\":\"a\",\"properties\":{\"score\":\"x\"}}", "missing_field", "channel"},
      {"{\"event_id\":\"e\",\"event_name\":\"csat_response\",\"event_ts\":\"2026-04-06T13:58:31Z\",\"anonymous_id\":\"a\",\"channel\":\"web\"}", "missing_field", "conversation_id"},
      {"{\"event_id\":\"e\",\"event_name\":\"purchase_after_chat\",\"conversation_id\":\"c\"," + OK_BASE + ",\"properties\":{\"revenue\":-3}}", "missing_property", "order_id"},
      // valid forms
      {"{\"event_id\":\"v1\",\"event_name\":\"user_message\",\"conversation_id\":\"c\",\"event_ts\":1775483911000,\"anonymous_id\":\"a\",\"channel\":\"web\"}", null, null},
      {"{\"event_id\":\"v2\",\"event_name\":\"user_message\",\"conversation_id\":\"c\",\"event_ts\":\"2026-04-06T15:58:20.123456789+02:00\",\"user_id\":\"L-1\",\"channel\":\"Web \",\"intent\":\"Order_Status\"}", null, null},
      {"{\"event_id\":\"v3\",\"event_name\":\"chat_impression\",\"event_ts\":\"2026-04-06T13:58:10.5Z\",\"anonymous_id\":\"a\",\"channel\":\"web\",\"page_type\":\"\"}", null, null},
      {"{\"event_id\":\"v4\",\"event_name\":\"marketing_touch\",\"event_ts\":\"2026-03-30T08:00:00-05:00\",\"anonymous_id\":\"a\",\"channel\":\"email\",\"properties\":{\"touch_channel\":\" Email\"}}", null, null},
      {"{\"event_id\":\"v5\",\"event_name\":\"purchase_after_chat\",\"conversation_id\":\"c\"," + OK_BASE + ",\"properties\":{\"order_id\":\"o\",\"revenue\":0,\"currency\":\"usd\"}}", null, null},
      {"{\"event_id\":\"v7\",\"event_name\":\"experiment_assigned\"," + OK_BASE + ",\"properties\":{\"experiment\":\" Bot_Holdout \",\"variant\":\"HoldOut \"}}", null, null},
      {"{\"event_id\":\"v8\",\"event_name\":\"experiment_assigned\",\"event_ts\":\"2026-04-06T13:58:31Z\",\"user_id\":\"L-9\",\"channel\":\"web\",\"properties\":{\"experiment\":\"x\",\"variant\":\"bot\"}}", null, null},
      {"{\"event_id\":\"v6\",\"event_name\":\"csat_response\",\"conversation_id\":\"c\"," + OK_BASE + ",\"properties\":{\"score\":5}}", null, null},
  };

  static Map<Long, Row> results;

  @BeforeAll
  static void validateAll() {
    List<Row> lines = new ArrayList<>();
    for (int i = 0; i < CASES.length; i++) {
      lines.add(RowFactory.create("file:/lake/events/a.ndjson", (long) i, CASES[i][0], null, null));
    }
    Dataset<Row> in = TestSpark.session().createDataFrame(lines, LineReader.SCHEMA);
    results = new HashMap<>();
    for (Row r : EventRecords.validate(in, TestSpark.settings(), TestSpark.HASH_KEY).collectAsList()) {
      results.put(r.getLong(r.fieldIndex(LineReader.LINE_NUMBER)), r);
    }
  }

  @TestFactory
  Stream<DynamicTest> eachLineGetsItsReasonAndDetail() {
    return java.util.stream.IntStream.range(0, CASES.length).mapToObj(i -> dynamicTest(
        (CASES[i][1] == null ? "valid" : CASES[i][1] + "/" + CASES[i][2]) + ": " + CASES[i][0],
        () -> {
          Row r = results.get((long) i);
          assertEquals(CASES[i][1], r.getAs(EventRecords.REASON), "reason");
          assertEquals(CASES[i][2], r.getAs(EventRecords.DETAIL), "detail");
        }));
  }

  @Test
  void validLinesAreTypedAndNormalised() {
    Row epoch = results.get(indexOf("v1"));
    assertEquals(Timestamp.from(Instant.parse("2026-04-06T13:58:31Z")), epoch.getAs("event_ts"));
    Row offset = results.get(indexOf("v2"));
    // nanoseconds beyond microseconds are truncated: Spark timestamps hold microseconds
    assertEquals(Timestamp.from(Instant.parse("2026-04-06T13:58:20.123456Z")), offset.getAs("event_ts"));
    assertEquals("web", offset.getAs("channel"));
    assertEquals("order_status", offset.getAs("intent"));
    assertNull(offset.getAs("anonymous_id"));
    assertEquals("L-1", offset.getAs("user_id"));
    assertNull(results.get(indexOf("v3")).getAs("page_type"), "empty string is null");
    assertEquals("email", results.get(indexOf("v4")).getAs("touch_channel"));
    Row purchase = results.get(indexOf("v5"));
    assertEquals("USD", purchase.getAs("currency"));
    assertEquals(0, ((java.math.BigDecimal) purchase.getAs("revenue")).signum());
    assertEquals(5, (int) results.get(indexOf("v6")).<Integer>getAs("score"));
  }

  @Test
  void assignmentsAreStoredTrimmedAndLowerCasedWithoutAConversation() {
    Row assigned = results.get(indexOf("v7"));
    assertEquals("experiment_assigned", assigned.getAs("event_name"));
    assertEquals("bot_holdout", assigned.getAs("experiment"));
    assertEquals("holdout", assigned.getAs("variant"));
    assertNull(assigned.getAs("conversation_id"));
    Row byUser = results.get(indexOf("v8"));
    assertNull(byUser.getAs(EventRecords.REASON), "user_id alone is enough");
    assertEquals("L-9", byUser.getAs("user_id"));
    assertEquals("bot", byUser.getAs("variant"));
  }

  private static long indexOf(String id) {
    for (int i = 0; i < CASES.length; i++) {
      if (CASES[i][0].contains("\"event_id\":\"" + id + "\"")) {
        return i;
      }
    }
    throw new IllegalArgumentException(id);
  }
}
