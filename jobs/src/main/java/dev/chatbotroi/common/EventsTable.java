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

  public static final TableSchema TABLE = new TableSchema("events", schema(), EVENT_DATE);

  /** The envelope's fields, then one column per property (EventContract), then where each row came from. */
  private static org.apache.spark.sql.types.StructType schema() {
    java.util.List<org.apache.spark.sql.types.StructField> f = new java.util.ArrayList<>();
    for (EventContract.Field e : EventContract.ENVELOPE) {
      if (e.type() != EventContract.Type.OBJECT) {
        f.add(e.type() == EventContract.Type.TIMESTAMP ? ts(e.name()) : str(e.name()));
      }
    }
    // a property's column is named like the property (the e-mail is stored hashed, as email_hash)
    EventContract.PROPERTIES.forEach((name, type) -> f.add(switch (type) {
      case BOOLEAN -> bool(name);
      case SCORE -> integer(name);
      case REVENUE -> money(name);
      default -> str(EventContract.column(name));
    }));
    f.addAll(java.util.List.of(str("properties_json"), str("source_file"), lng("line_number"), str("run_id"),
        ts("ingested_at"), date(EVENT_DATE)));
    return struct(f.toArray(new org.apache.spark.sql.types.StructField[0]));
  }
}
