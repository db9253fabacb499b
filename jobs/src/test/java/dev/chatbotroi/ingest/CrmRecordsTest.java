package dev.chatbotroi.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.chatbotroi.testing.Files2;
import dev.chatbotroi.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Each CRM / help-desk quarantine reason of docs/ingest.md on a concrete bad row, and valid typing. */
class CrmRecordsTest {

  @TempDir static Path dir;

  /** source, CSV data row, expected reason, expected detail. */
  static final String[][] CASES = {
      {"leads", ",2026-03-01,chatbot,a@example.com,new,,,,", "missing_field", "lead_id"},
      {"leads", "L-2,2026-03-40,chatbot,,new,,,,", "bad_timestamp", "created_at"},
      {"leads", "L-3,2026-03-01,form,,new,not a date,,,", "bad_timestamp", "mql_at"},
      {"leads", "L-4,2026-03-01,form,,new,,,,maybe", "bad_property", "meeting_qualified"},
      {"leads", "L-5,2026-03-01T10:00:00,chatbot,b@example.com,mql,2026-03-02 09:00:00,,2026-03-03,true", null, null},
      {"leads", ",bad-date,chatbot,,new,,,,maybe", "missing_field", "lead_id"},
      {"deals", "D-1,L-1,,2026-03-01,2026-03-10,closed_won,12.x,,USD", "bad_property", "amount"},
      {"deals", "D-2,L-1,,2026-03-01,2026-03-10,closed_won,-5,,USD", "bad_property", "amount"},
      {"deals", "D-3,L-1,,2026-03-01,2026-03-10,won,100,,USD", "bad_property", "stage"},
      {"deals", "D-4,L-1,,2026-03-01,2026-03-10,closed_won,100,,EUR", "bad_property", "currency"},
      {"deals", "D-5,L-1,,2026-03-01,,closed_won,100,,USD", "bad_property", "closed_at"},
      {"deals", "D-6,L-1,,2026-03-01,03/10/2026,closed_won,100,,", "bad_timestamp", "closed_at"},
      {"deals", "D-7,,c@example.com,2026-03-01,2026-03-10T12:00:00Z,Closed_Won,1200.50,,", null, null},
      {"deals", "D-8,L-1,,2026-03-01,2026-03-10,open,100,-1,USD", "bad_property", "gross_profit"},
      {"tickets", ",2026-03-01,anon-1,,,,,", "missing_field", "ticket_id"},
      {"tickets", "T-2,2026-03-01,anon-1,,,,,9", "bad_property", "csat_score"},
      {"tickets", "T-3,yesterday,anon-1,,,,,9", "bad_timestamp", "created_at"},
      {"tickets", "T-4,2026-03-01 08:30:00,anon-1,L-1,c-1, Order_Status ,Web,4", null, null},
  };

  static final Map<String, String> HEADERS = Map.of(
      "leads", "lead_id,created_at,source,email,status,mql_at,sql_at,meeting_booked_at,meeting_qualified",
      "deals", "deal_id,lead_id,contact_email,created_at,closed_at,stage,amount,gross_profit,currency",
      "tickets", "ticket_id,created_at,anonymous_id,lead_id,conversation_id,intent,channel,csat_score");

  static final Map<String, Row> results = new HashMap<>();

  @BeforeAll
  static void validateAll() {
    for (CrmRecords.Source source : CrmRecords.ALL) {
      List<String> lines = new ArrayList<>(List.of(HEADERS.get(source.name())));
      for (String[] c : CASES) {
        if (c[0].equals(source.name())) {
          lines.add(c[1]);
        }
      }
      Path file = Files2.write(dir.resolve(source.name() + ".csv"), lines);
      InputFile in = new InputFile(file.toUri().toString(), source.name(), InputFile.CSV, 0, 0);
      // reporting zone New York: local CRM times are read there
      var settings = TestSpark.settings("reporting.timezone=\"America/New_York\"");
      for (Row r : CrmRecords.validate(InputRows.tableRows(TestSpark.session(), List.of(in), source, 1 << 20),
          source, settings, TestSpark.HASH_KEY).collectAsList()) {
        results.put(source.name() + ":" + r.getLong(1), r);
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> eachRowGetsItsReasonAndDetail() {
    Map<String, Integer> lineNo = new HashMap<>();
    List<DynamicTest> tests = new ArrayList<>();
    for (String[] c : CASES) {
      int line = lineNo.merge(c[0], 1, Integer::sum) + 1; // line 1 is the header
      tests.add(dynamicTest(c[0] + " " + (c[2] == null ? "valid" : c[2] + "/" + c[3]) + ": " + c[1], () -> {
        Row r = results.get(c[0] + ":" + line);
        assertEquals(c[2], r.getAs(EventRecords.REASON), "reason");
        assertEquals(c[3], r.getAs(EventRecords.DETAIL), "detail");
      }));
    }
    return tests.stream();
  }

  @Test
  void validRowsAreTyped() {
    Row lead = results.get("leads:6");
    // no offset: local New York time (EDT from 2026-03-08, EST before)
    assertEquals(Timestamp.from(Instant.parse("2026-03-01T15:00:00Z")), lead.getAs("created_at"));
    assertEquals(Timestamp.from(Instant.parse("2026-03-02T14:00:00Z")), lead.getAs("mql_at"));
    assertEquals(Timestamp.from(Instant.parse("2026-03-03T05:00:00Z")), lead.getAs("meeting_booked_at"));
    assertEquals(Boolean.TRUE, lead.getAs("meeting_qualified"));
    assertEquals(64, ((String) lead.getAs("email_hash")).length());
    Row deal = results.get("deals:8");
    assertNull(deal.getAs("lead_id"));
    assertEquals("closed_won", deal.getAs("stage"));
    assertEquals(0, new BigDecimal("1200.50").compareTo(deal.getAs("amount")));
    assertEquals("USD", deal.getAs("currency"));
    assertEquals(Timestamp.from(Instant.parse("2026-03-10T12:00:00Z")), deal.getAs("closed_at"));
    Row ticket = results.get("tickets:5");
    assertEquals("order_status", ticket.getAs("intent"));
    assertEquals("web", ticket.getAs("channel"));
    assertEquals(4, (int) ticket.<Integer>getAs("csat_score"));
  }

  @Test
  void presetsKnowTheSameSection4Columns() {
    for (CrmRecords.Source source : CrmRecords.ALL) {
      assertEquals(source.headerColumns(), dev.chatbotroi.ingest.preset.Preset.CRM_COLUMNS.get(source.name()), source.name());
    }
  }
}
