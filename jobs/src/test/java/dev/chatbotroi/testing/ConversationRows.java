package dev.chatbotroi.testing;

import dev.chatbotroi.common.ConversationsTable;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** Hand-made `conversations` rows for stage tests: every flag off unless set by name. */
public final class ConversationRows {
  private ConversationRows() {}

  /** A conversations row with every flag off; {@code set} overrides fields by name. */
  public static Row conv(String id, String channel, String flow, String intent, Map<String, Object> set) {
    StructType schema = ConversationsTable.TABLE.schema();
    Map<String, Object> v = new LinkedHashMap<>();
    for (String f : schema.fieldNames()) {
      v.put(f, null);
    }
    v.putAll(Map.of("conversation_id", id, "anonymous_id", "a-" + id, "period_date", Date.valueOf("2026-03-02"),
        "channel", channel, "flow", flow, "intent", intent, "utm_campaign", "(none)", "page_type", "(none)"));
    v.putAll(Map.of("start_ts", ts("2026-03-02T10:00:00Z"), "end_ts", ts("2026-03-02T10:01:00Z"),
        "duration_seconds", 60.0, "engaged", false, "user_turns", 0, "bot_turns", 0, "fallback_turns", 0));
    for (String flag : List.of("goal_completed", "resolved", "handed_off", "agent_involved", "knowledge_gap",
        "eligible", "deflected", "converted", "completed", "lead_captured")) {
      v.put(flag, false);
    }
    v.put("outcome", "not_engaged");
    v.put("purchase_revenue", BigDecimal.ZERO);
    v.put("captured_lead_ids", List.of());
    v.put("gap_questions", List.of());
    v.putAll(set);
    Object[] values = v.values().stream()
        .map(o -> o instanceof List<?> l ? scala.jdk.javaapi.CollectionConverters.asScala(l).toSeq() : o).toArray();
    return RowFactory.create(values);
  }

  public static Timestamp ts(String iso) {
    return Timestamp.from(Instant.parse(iso));
  }

  public static Map<String, Object> m(Object... kv) {
    Map<String, Object> out = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put((String) kv[i], kv[i + 1]);
    }
    return out;
  }
}
