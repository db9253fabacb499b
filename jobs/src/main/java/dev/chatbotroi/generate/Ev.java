package dev.chatbotroi.generate;

/** One synthetic event before it is written: the envelope (docs/ingest.md) plus its properties as JSON text. */
final class Ev {
  final String id;
  final String name;
  /** Epoch milliseconds; how it is printed is chosen when the line is written. */
  final long ts;
  String anon;
  String user;
  String conv;
  String channel;
  String flow;
  String intent;
  String page;
  String utmSource;
  String utmMedium;
  String utmCampaign;
  /** JSON object text, or null for an event without properties. */
  String props;

  Ev(String id, String name, long ts) {
    this.id = id;
    this.name = name;
    this.ts = ts;
  }

  /** The NDJSON line, with {@code tsJson} (a quoted string or a number) as event_ts. */
  String toLine(String tsJson) {
    return new JsonObj()
        .str("event_id", id)
        .str("event_name", name)
        .raw("event_ts", tsJson)
        .str("anonymous_id", anon)
        .str("user_id", user)
        .str("conversation_id", conv)
        .str("channel", channel)
        .str("flow", flow)
        .str("intent", intent)
        .str("page_type", page)
        .str("utm_source", utmSource)
        .str("utm_medium", utmMedium)
        .str("utm_campaign", utmCampaign)
        .raw("properties", props)
        .close();
  }
}
