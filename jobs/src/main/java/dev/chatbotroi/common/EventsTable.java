package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

/** Silver table `events`: one row per accepted, de-duplicated event; partitioned by UTC event date. */
public final class EventsTable {
  private EventsTable() {}

  public static final String EVENT_ID = "event_id";
  public static final String EVENT_NAME = "event_name";
  public static final String EVENT_TS = "event_ts";
  public static final String ANONYMOUS_ID = "anonymous_id";
  public static final String USER_ID = "user_id";
  public static final String CONVERSATION_ID = "conversation_id";
  public static final String CHANNEL = "channel";
  public static final String FLOW = "flow";
  public static final String INTENT = "intent";
  public static final String PAGE_TYPE = "page_type";
  public static final String ORDER_ID = "order_id";
  public static final String EVENT_DATE = "event_date";

  public static final TableSchema TABLE = new TableSchema("events", struct(
      str(EVENT_ID), str(EVENT_NAME), ts(EVENT_TS), str(ANONYMOUS_ID), str(USER_ID),
      str(CONVERSATION_ID), str(CHANNEL), str(FLOW), str(INTENT), str(PAGE_TYPE),
      str("utm_source"), str("utm_medium"), str("utm_campaign"),
      // typed properties (docs/ingest.md); the rest of `properties` stays in properties_json
      bool("useful"), str("reason"), str("goal"), str("question"), str("topic"), integer("score"),
      str("lead_id"), str("email_hash"), str("meeting_id"), str(ORDER_ID), money("revenue"),
      str("currency"), str("touch_channel"), str("properties_json"),
      str("source_file"), lng("line_number"), str("run_id"), ts("ingested_at"), date(EVENT_DATE)),
      EVENT_DATE);
}
