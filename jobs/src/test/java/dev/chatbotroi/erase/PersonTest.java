package dev.chatbotroi.erase;

import static dev.chatbotroi.testing.Events.ev;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatbotroi.common.DealsTable;
import dev.chatbotroi.common.LeadsTable;
import dev.chatbotroi.common.TicketsTable;
import dev.chatbotroi.testing.Events;
import dev.chatbotroi.testing.TestSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Identity resolution for `erase` follows a chain of linked ids to its end, however long. */
class PersonTest {

  static Dataset<Row> empty(dev.chatbotroi.common.TableSchema t) {
    return TestSpark.session().createDataFrame(new ArrayList<Row>(), t.schema());
  }

  @Test
  void aChainOfSixVisitorsAndSevenLeadsIsFollowedToItsEnd() {
    // visitor a-k sent user_id L-k and, later, L-(k+1): each link takes two rounds to follow,
    // so the last lead is twelve rounds from the seed (more than the five rounds erase used to stop at)
    List<String> lines = new ArrayList<>();
    for (int k = 1; k <= 6; k++) {
      lines.add(ev("e" + k + "a", "chat_opened", "2026-03-0" + k + "T10:00:00Z", "c" + k, "a-" + k,
          "\"user_id\":\"L-" + k + "\""));
      lines.add(ev("e" + k + "b", "user_message", "2026-03-0" + k + "T11:00:00Z", "c" + k, "a-" + k,
          "\"user_id\":\"L-" + (k + 1) + "\""));
    }
    lines.add(ev("x1", "chat_opened", "2026-03-01T10:00:00Z", "cx", "a-stranger", "\"user_id\":\"L-99\""));
    Dataset<Row> events = Events.of(TestSpark.settings(), lines)
        .select("event_ts", "anonymous_id", "user_id", "lead_id", "email_hash", "conversation_id");
    Person p = Person.resolve(events, empty(LeadsTable.TABLE), empty(DealsTable.TABLE), empty(TicketsTable.TABLE),
        Set.of("L-1"), Set.of());
    Set<String> leads = new TreeSet<>();
    Set<String> visitors = new TreeSet<>();
    Set<String> conversations = new TreeSet<>();
    for (int k = 1; k <= 7; k++) {
      leads.add("L-" + k);
      if (k <= 6) {
        visitors.add("a-" + k);
        conversations.add("c" + k);
      }
    }
    assertEquals(leads, p.leadIds());
    assertEquals(visitors, p.anonymousIds());
    assertEquals(conversations, p.conversationIds(), "the stranger's conversation is not theirs");
  }
}
