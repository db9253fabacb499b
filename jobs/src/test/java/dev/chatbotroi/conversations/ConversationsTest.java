package dev.chatbotroi.conversations;

import static dev.chatbotroi.testing.Events.ev;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.common.IdentityMap;
import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.TicketsTable;
import dev.chatbotroi.testing.Events;
import dev.chatbotroi.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The conversations transform on hand-made fixtures, starting with the contract's worked example. */
class ConversationsTest {

  static Map<String, Row> build(Settings settings, List<String> lines, List<Row> tickets) {
    Dataset<Row> events = Events.of(settings, lines);
    Dataset<Row> t = TestSpark.session().createDataFrame(tickets, TicketsTable.TABLE.schema());
    Dataset<Row> out = Conversations.build(events, IdentityMap.of(events), t, settings);
    assertEquals(ConversationsTable.TABLE.schema().simpleString(),
        out.select(ConversationsTable.TABLE.columns()[0], java.util.Arrays.copyOfRange(ConversationsTable.TABLE.columns(), 1,
            ConversationsTable.TABLE.columns().length)).schema().simpleString()
            .replace("duration_seconds:double", "duration_seconds:double"),
        "columns and types of the table");
    Map<String, Row> byId = new HashMap<>();
    for (Row r : out.collectAsList()) {
      byId.put(r.getAs("conversation_id"), r);
    }
    return byId;
  }

  static Row ticket(String id, String createdAt, String anonymous, String lead, String conversation) {
    return RowFactory.create(id, Timestamp.from(Instant.parse(createdAt)), anonymous, lead, conversation,
        null, null, null, "fixture", "fixture", new Timestamp(0));
  }

  @Test
  void theWorkedExampleOfTheContract() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("src/test/resources/examples/worked-example.ndjson"));
    Row c = build(TestSpark.settings(), lines, List.of()).get("c-42");
    assertEquals("anon-7", c.getAs("anonymous_id"));
    assertEquals(Date.valueOf("2026-04-06"), c.getAs("period_date"));
    assertEquals("web", c.getAs("channel"));
    assertEquals("support", c.getAs("flow"));
    assertEquals("order_status", c.getAs("intent"));
    assertEquals("pricing", c.getAs("page_type"));
    assertEquals("spring", c.getAs("utm_campaign"));
    assertEquals(Timestamp.from(Instant.parse("2026-04-06T13:58:20Z")), c.getAs("start_ts"));
    assertEquals(Timestamp.from(Instant.parse("2026-04-06T14:00:15Z")), c.getAs("end_ts"));
    assertEquals(115.0, c.<Double>getAs("duration_seconds"));
    assertTrue(c.<Boolean>getAs("engaged"));
    assertEquals(3, c.<Integer>getAs("user_turns"));
    assertEquals(3, c.<Integer>getAs("bot_turns"));
    assertEquals(1, c.<Integer>getAs("fallback_turns"));
    assertEquals(36.0, c.<Double>getAs("first_useful_answer_seconds"), "13:59:07 - 13:58:31");
    assertFalse(c.<Boolean>getAs("goal_completed"));
    assertTrue(c.<Boolean>getAs("resolved"));
    assertFalse(c.<Boolean>getAs("handed_off"));
    assertFalse(c.<Boolean>getAs("agent_involved"));
    assertTrue(c.<Boolean>getAs("knowledge_gap"));
    assertEquals(5, c.<Integer>getAs("csat_score"), "the latest valid response");
    assertTrue(c.<Boolean>getAs("csat_positive"));
    assertEquals("L-9", c.getAs("lead_id"));
    assertTrue(c.<Boolean>getAs("eligible"));
    assertTrue(c.<Boolean>getAs("deflected"));
    assertTrue(c.<Boolean>getAs("converted"));
    assertTrue(c.<Boolean>getAs("completed"));
    assertEquals("resolved", c.getAs("outcome"));
    assertEquals(0, new BigDecimal("84.5").compareTo(c.getAs("purchase_revenue")));
    assertEquals(List.of("can i change the delivery address"), c.getList(c.fieldIndex("gap_questions")));
    assertEquals(List.of("L-9"), c.getList(c.fieldIndex("captured_lead_ids")));
  }

  @Test
  void timeZonesTicketsPurchasesCsatAndStitching() {
    Settings ny = TestSpark.settings("reporting.timezone=\"America/New_York\"");
    List<String> l = new ArrayList<>();
    // crosses local midnight: starts 2026-03-06 23:50 EST (04:50Z on the 7th) → period 2026-03-06
    l.add(ev("m1", "chat_opened", "2026-03-07T04:50:00Z", "mid", "a-m"));
    l.add(ev("m2", "chat_closed", "2026-03-07T05:10:00Z", "mid", "a-m"));
    // across the DST change (2026-03-08 02:00 EST → 03:00 EDT): 01:59 EST to 03:01 EDT is 2 minutes
    l.add(ev("d1", "chat_opened", "2026-03-08T01:59:00-05:00", "dst", "a-d"));
    l.add(ev("d2", "chat_closed", "2026-03-08T03:01:00-04:00", "dst", "a-d"));
    // deflection: eligible + resolved; tickets by anonymous id inside / exactly at / after the 3-day window
    for (String[] t : new String[][] {{"in", "a-in"}, {"edge", "a-edge"}, {"out", "a-out"}}) {
      l.add(ev(t[0] + "1", "user_message", "2026-03-10T10:00:00Z", t[0], t[1], "\"intent\":\"order_status\""));
      l.add(ev(t[0] + "2", "bot_resolved", "2026-03-10T10:01:00Z", t[0], t[1]));
    }
    // purchases: one exactly 7 days after the end (inside), one a second later (outside)
    l.add(ev("p1", "chat_opened", "2026-03-11T10:00:00Z", "pin", "a-p"));
    l.add(ev("p2", "purchase_after_chat", "2026-03-18T10:00:00Z", "pin", "a-p", "\"properties\":{\"order_id\":\"O1\",\"revenue\":20}"));
    l.add(ev("q1", "chat_opened", "2026-03-11T10:00:00Z", "pout", "a-q"));
    l.add(ev("q2", "purchase_after_chat", "2026-03-18T10:00:01Z", "pout", "a-q", "\"properties\":{\"order_id\":\"O2\",\"revenue\":30}"));
    // two CSAT answers: the latest (2) counts even though the first was 5
    l.add(ev("s1", "csat_response", "2026-03-12T10:00:00Z", "csat", "a-c", "\"properties\":{\"score\":5}"));
    l.add(ev("s2", "csat_response", "2026-03-12T10:00:09Z", "csat", "a-c", "\"properties\":{\"score\":2}"));
    // an anonymous conversation, stitched by a capture four days later
    l.add(ev("a1", "user_message", "2026-03-13T10:00:00Z", "anon", "a-s"));
    l.add(ev("b1", "lead_captured_chat", "2026-03-17T10:00:00Z", "known", "a-s", "\"properties\":{\"lead_id\":\"L-77\"}"));
    // not engaged, with a handoff-free goal: outcome completed
    l.add(ev("g1", "bot_goal_completed", "2026-03-14T10:00:00Z", "goal", "a-g"));

    List<Row> tickets = List.of(
        ticket("T1", "2026-03-13T10:01:00Z", "a-in", null, null),
        ticket("T2", "2026-03-13T10:01:00Z", null, null, "edge"),
        ticket("T3", "2026-03-13T10:01:01Z", "a-out", null, null),
        ticket("T4", "2026-03-10T09:59:59Z", "a-out", null, null)); // before the start: no match
    Map<String, Row> c = build(ny, l, tickets);

    assertEquals(Date.valueOf("2026-03-06"), c.get("mid").getAs("period_date"));
    assertEquals(1200.0, c.get("mid").<Double>getAs("duration_seconds"));
    assertEquals(Date.valueOf("2026-03-08"), c.get("dst").getAs("period_date"));
    assertEquals(120.0, c.get("dst").<Double>getAs("duration_seconds"));

    assertFalse(c.get("in").<Boolean>getAs("deflected"), "ticket 3 days after the end, to the second");
    assertFalse(c.get("edge").<Boolean>getAs("deflected"), "ticket on the same conversation id");
    assertTrue(c.get("out").<Boolean>getAs("deflected"), "ticket a second after the window");
    assertTrue(c.get("out").<Boolean>getAs("eligible"));

    assertTrue(c.get("pin").<Boolean>getAs("converted"));
    assertEquals(0, new BigDecimal("20").compareTo(c.get("pin").getAs("purchase_revenue")));
    assertFalse(c.get("pout").<Boolean>getAs("converted"));
    assertEquals(0, BigDecimal.ZERO.compareTo(c.get("pout").getAs("purchase_revenue")));

    assertEquals(2, c.get("csat").<Integer>getAs("csat_score"));
    assertFalse(c.get("csat").<Boolean>getAs("csat_positive"));

    assertEquals("L-77", c.get("anon").getAs("lead_id"), "stitched through the identity map");
    assertEquals("L-77", c.get("known").getAs("lead_id"));
    assertTrue(c.get("known").<Boolean>getAs("converted"), "lead_captured_chat is a conversion event");

    Row goal = c.get("goal");
    assertEquals("completed", goal.getAs("outcome"));
    assertFalse(goal.<Boolean>getAs("engaged"));
    assertNull(goal.getAs("first_useful_answer_seconds"));
    assertEquals("(none)", goal.getAs("intent"));
    assertEquals("not_engaged", c.get("pin").getAs("outcome"));
    assertEquals("abandoned", c.get("anon").getAs("outcome"));
  }

  @Test
  void anAssignmentNeverFormsOrJoinsAConversationButLinksTheIdentityMap() {
    String assigned = "\"properties\":{\"experiment\":\"bot_holdout\",\"variant\":\"bot\"}";
    List<String> l = List.of(
        // an assignment that carries a conversation_id, alone in it and beside a real chat
        ev("x1", "experiment_assigned", "2026-04-06T09:00:00Z", "c-only", "a1", "\"user_id\":\"L-7\"", assigned),
        ev("x2", "experiment_assigned", "2026-04-06T09:59:00Z", "c-chat", "a1", assigned),
        ev("o1", "chat_opened", "2026-04-06T10:00:00Z", "c-chat", "a1"),
        ev("m1", "user_message", "2026-04-06T10:00:05Z", "c-chat", "a1"));
    Map<String, Row> c = build(TestSpark.settings(), l, List.of());
    assertEquals(java.util.Set.of("c-chat"), c.keySet());
    assertEquals(Timestamp.from(Instant.parse("2026-04-06T10:00:00Z")), c.get("c-chat").getAs("start_ts"));
    // the identity map reads every event: the assignment's user_id names the visitor's lead
    assertEquals("L-7", c.get("c-chat").getAs("lead_id"));
    Row mapped = IdentityMap.of(Events.of(TestSpark.settings(), l)).first();
    assertEquals("a1", mapped.getAs(IdentityMap.ANONYMOUS_ID));
    assertEquals("L-7", mapped.getAs(IdentityMap.LEAD_ID));
  }
}
