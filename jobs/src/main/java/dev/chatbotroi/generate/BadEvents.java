package dev.chatbotroi.generate;

import java.util.List;

/** Builds event lines that ingest must quarantine, rotating through every reason and variant of docs/ingest.md. */
final class BadEvents {
  /** reason/variant: the test recognises each of these on the raw lines. */
  static final List<String> VARIANTS = List.of(
      "malformed_json/truncated", "malformed_json/array",
      "missing_field/event_id/absent", "missing_field/event_id/null", "missing_field/event_id/blank",
      "missing_field/event_name/absent", "missing_field/event_name/null", "missing_field/event_name/blank",
      "missing_field/event_ts/absent", "missing_field/event_ts/null", "missing_field/event_ts/blank",
      "missing_field/anonymous_id/absent", "missing_field/anonymous_id/null",
      "missing_field/anonymous_id/blank",
      "missing_field/channel/absent", "missing_field/channel/null", "missing_field/channel/blank",
      "missing_field/conversation_id/absent", "missing_field/conversation_id/null",
      "missing_field/conversation_id/blank",
      "unknown_event/Chat_Opened", "unknown_event/page_view",
      "bad_timestamp/space", "bad_timestamp/word", "bad_timestamp/impossible_date",
      "bad_timestamp/epoch_string", "bad_timestamp/epoch_fraction",
      "missing_property/bot_knowledge_gap.question", "missing_property/csat_response.score",
      "missing_property/lead_captured_chat.lead_id", "missing_property/purchase_after_chat.order_id",
      "missing_property/purchase_after_chat.revenue", "missing_property/marketing_touch.touch_channel",
      "bad_property/score_string", "bad_property/score_out_of_range", "bad_property/score_zero",
      "bad_property/score_fraction", "bad_property/useful_string", "bad_property/revenue_negative",
      "bad_property/revenue_string", "bad_property/currency_eur", "bad_property/properties_not_object");

  private static final String NULL = "null";
  private static final String BLANK = "\"  \"";

  private final Ids ids;
  private int next;

  BadEvents(Ids ids) {
    this.ids = ids;
  }

  /** The next variant, built around a real conversation event so it looks like its neighbours. */
  String next(Ev ctx) {
    String variant = VARIANTS.get(next);
    next = (next + 1) % VARIANTS.size();
    String id = q(ids.event());
    String ts = q(Stamps.plain(ctx.ts));
    String anon = q(ctx.anon != null ? ctx.anon : ids.anonymous());
    String user = ctx.user == null ? null : q(ctx.user);
    String conv = q(ctx.conv);
    String channel = q(ctx.channel);
    String msg = q("user_message");
    return switch (variant) {
      case "malformed_json/truncated" -> {
        String line = line(id, msg, ts, anon, user, conv, channel, null);
        yield line.substring(0, line.length() * 2 / 3);
      }
      case "malformed_json/array" -> "[" + line(id, q("chat_opened"), ts, anon, user, conv, channel, null) + "]";
      case "missing_field/event_id/absent" -> line(null, msg, ts, anon, user, conv, channel, null);
      case "missing_field/event_id/null" -> line(NULL, msg, ts, anon, user, conv, channel, null);
      case "missing_field/event_id/blank" -> line(BLANK, msg, ts, anon, user, conv, channel, null);
      case "missing_field/event_name/absent" -> line(id, null, ts, anon, user, conv, channel, null);
      case "missing_field/event_name/null" -> line(id, NULL, ts, anon, user, conv, channel, null);
      case "missing_field/event_name/blank" -> line(id, BLANK, ts, anon, user, conv, channel, null);
      case "missing_field/event_ts/absent" -> line(id, msg, null, anon, user, conv, channel, null);
      case "missing_field/event_ts/null" -> line(id, msg, NULL, anon, user, conv, channel, null);
      case "missing_field/event_ts/blank" -> line(id, msg, BLANK, anon, user, conv, channel, null);
      // The visitor id is missing and there is no user_id to stand in for it.
      case "missing_field/anonymous_id/absent" -> line(id, msg, ts, null, null, conv, channel, null);
      case "missing_field/anonymous_id/null" -> line(id, msg, ts, NULL, null, conv, channel, null);
      case "missing_field/anonymous_id/blank" -> line(id, msg, ts, BLANK, null, conv, channel, null);
      case "missing_field/channel/absent" -> line(id, msg, ts, anon, user, conv, null, null);
      case "missing_field/channel/null" -> line(id, msg, ts, anon, user, conv, NULL, null);
      case "missing_field/channel/blank" -> line(id, msg, ts, anon, user, conv, BLANK, null);
      case "missing_field/conversation_id/absent" -> line(id, msg, ts, anon, user, null, channel, null);
      case "missing_field/conversation_id/null" -> line(id, msg, ts, anon, user, NULL, channel, null);
      case "missing_field/conversation_id/blank" -> line(id, msg, ts, anon, user, BLANK, channel, null);
      case "unknown_event/Chat_Opened" -> line(id, q("Chat_Opened"), ts, anon, user, conv, channel, null);
      case "unknown_event/page_view" -> line(id, q("page_view"), ts, anon, user, null, channel, null);
      case "bad_timestamp/space" -> line(id, msg, q(Stamps.spaced(ctx.ts)), anon, user, conv, channel, null);
      case "bad_timestamp/word" -> line(id, msg, q("yesterday"), anon, user, conv, channel, null);
      case "bad_timestamp/impossible_date" -> line(id, msg,
          q(Stamps.date(ctx.ts).substring(0, 4) + "-02-30T10:00:00Z"), anon, user, conv, channel, null);
      case "bad_timestamp/epoch_string" -> line(id, msg, q(Long.toString(ctx.ts)), anon, user, conv, channel, null);
      case "bad_timestamp/epoch_fraction" -> line(id, msg, ctx.ts + ".5", anon, user, conv, channel, null);
      case "missing_property/bot_knowledge_gap.question" -> line(id, q("bot_knowledge_gap"), ts, anon, user,
          conv, channel, new JsonObj().str("topic", "shipping").close());
      case "missing_property/csat_response.score" -> line(id, q("csat_response"), ts, anon, user, conv,
          channel, new JsonObj().str("comment", "ok").close());
      case "missing_property/lead_captured_chat.lead_id" -> line(id, q("lead_captured_chat"), ts, anon, user,
          conv, channel, new JsonObj().str("email", "no.crm.sync@example.com").close());
      case "missing_property/purchase_after_chat.order_id" -> line(id, q("purchase_after_chat"), ts, anon,
          user, conv, channel, new JsonObj().raw("revenue", "42.00").str("currency", "USD").close());
      case "missing_property/purchase_after_chat.revenue" -> line(id, q("purchase_after_chat"), ts, anon,
          user, conv, channel, new JsonObj().str("order_id", ids.order()).str("currency", "USD").close());
      case "missing_property/marketing_touch.touch_channel" -> line(id, q("marketing_touch"), ts, anon, user,
          null, q("email"), new JsonObj().str("campaign_name", "newsletter").close());
      case "bad_property/score_string" -> csat(id, ts, anon, user, conv, channel, q("five"));
      case "bad_property/score_out_of_range" -> csat(id, ts, anon, user, conv, channel, "7");
      case "bad_property/score_zero" -> csat(id, ts, anon, user, conv, channel, "0");
      case "bad_property/score_fraction" -> csat(id, ts, anon, user, conv, channel, "4.5");
      case "bad_property/useful_string" -> line(id, q("bot_message"), ts, anon, user, conv, channel,
          new JsonObj().str("useful", "yes").close());
      case "bad_property/revenue_negative" -> purchase(id, ts, anon, user, conv, channel, "-19.99", "USD");
      case "bad_property/revenue_string" -> purchase(id, ts, anon, user, conv, channel, q("84.50"), "USD");
      case "bad_property/currency_eur" -> purchase(id, ts, anon, user, conv, channel, "84.50", "EUR");
      case "bad_property/properties_not_object" -> line(id, q("bot_fallback"), ts, anon, user, conv, channel,
          q("no_match"));
      default -> throw new IllegalStateException(variant);
    };
  }

  private String csat(String id, String ts, String anon, String user, String conv, String channel, String score) {
    return line(id, q("csat_response"), ts, anon, user, conv, channel, new JsonObj().raw("score", score).close());
  }

  private String purchase(String id, String ts, String anon, String user, String conv, String channel,
      String revenue, String currency) {
    return line(id, q("purchase_after_chat"), ts, anon, user, conv, channel,
        new JsonObj().str("order_id", ids.order()).raw("revenue", revenue).str("currency", currency).close());
  }

  /** Every argument is JSON text, or null to leave the field out. */
  private static String line(String id, String name, String ts, String anon, String user, String conv,
      String channel, String props) {
    return new JsonObj()
        .raw("event_id", id)
        .raw("event_name", name)
        .raw("event_ts", ts)
        .raw("anonymous_id", anon)
        .raw("user_id", user)
        .raw("conversation_id", conv)
        .raw("channel", channel)
        .raw("properties", props)
        .close();
  }

  private static String q(String s) {
    return JsonObj.quote(s);
  }
}
