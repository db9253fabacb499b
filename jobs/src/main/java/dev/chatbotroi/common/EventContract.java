package dev.chatbotroi.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event format (docs/ingest.md#events), in one place: every envelope field and event with its
 * properties, their JSON types, which events require which, and the `events` column each is stored
 * in; grain: one field. The events schema, the validation rules, the preset targets and the
 * benchmark's envelope are all derived from these lists.
 */
public final class EventContract {
  private EventContract() {}

  /** A field's JSON type as the rules check it. */
  public enum Type {
    STRING,
    /** an ISO-8601 string with an offset, or integer epoch milliseconds */
    TIMESTAMP,
    OBJECT,
    BOOLEAN,
    /** an integer from 1 to 5 */
    SCORE,
    /** a number ≥ 0, stored as money */
    REVENUE,
    /** a string equal to the `currency` setting once trimmed and upper-cased, or empty */
    CURRENCY
  }

  /** An envelope field: its name (also its stored column) and type. */
  public record Field(String name, Type type) {}

  /** A property of an event: its name, type, and whether the event requires it. */
  public record Property(String name, Type type, boolean required) {}

  /** An event name, whether it belongs to a conversation (then `conversation_id` is required), and its properties. */
  public record Event(String name, boolean conversation, List<Property> properties) {}

  /** The envelope, in the order the rules check its string fields. */
  public static final List<Field> ENVELOPE = List.of(
      new Field("event_id", Type.STRING), new Field("event_name", Type.STRING),
      new Field("event_ts", Type.TIMESTAMP), new Field("anonymous_id", Type.STRING),
      new Field("user_id", Type.STRING), new Field("conversation_id", Type.STRING),
      new Field("channel", Type.STRING), new Field("flow", Type.STRING), new Field("intent", Type.STRING),
      new Field("page_type", Type.STRING), new Field("utm_source", Type.STRING),
      new Field("utm_medium", Type.STRING), new Field("utm_campaign", Type.STRING),
      new Field("properties", Type.OBJECT));

  /** Dimensions and names: trimmed, lower-cased, an empty string stored as null. */
  public static final List<String> NORMALISED = List.of("channel", "flow", "intent", "page_type", "touch_channel",
      "experiment", "variant");

  /** Every event name, in the documented order, with its properties in the order they are checked. */
  public static final List<Event> EVENTS = List.of(
      event("chat_impression", false),
      event("chat_opened", true),
      event("chat_engaged", true),
      event("user_message", true),
      event("bot_message", true, optional("useful", Type.BOOLEAN)),
      event("bot_fallback", true, optional("reason", Type.STRING)),
      event("agent_message", true),
      event("bot_handoff_human", true, optional("reason", Type.STRING)),
      event("bot_goal_completed", true, optional("goal", Type.STRING)),
      event("bot_resolved", true),
      event("ticket_deflected", true),
      event("bot_knowledge_gap", true, required("question", Type.STRING), optional("topic", Type.STRING)),
      event("csat_response", true, required("score", Type.SCORE)),
      event("lead_captured_chat", true, required("lead_id", Type.STRING), optional("email", Type.STRING)),
      event("meeting_booked", true, optional("lead_id", Type.STRING), optional("meeting_id", Type.STRING)),
      event("purchase_after_chat", true, required("order_id", Type.STRING), required("revenue", Type.REVENUE),
          optional("currency", Type.CURRENCY)),
      event("chat_closed", true),
      event("marketing_touch", false, required("touch_channel", Type.STRING)),
      // a holdout's assignment of a visitor to a variant (docs/experiments.md); no conversation of its own
      event("experiment_assigned", false, required("experiment", Type.STRING), required("variant", Type.STRING)));

  /** The property whose value is hashed whole into `email_hash`, never stored. */
  public static final String EMAIL = "email";

  /** Every event name, in the documented order. */
  public static final List<String> EVENT_NAMES = EVENTS.stream().map(Event::name).toList();

  /** Events without a conversation: they need no conversation_id, and no conversation is built from them. */
  public static final List<String> NON_CONVERSATION = EVENTS.stream().filter(e -> !e.conversation())
      .map(Event::name).toList();

  /** Every property name with its type, in order of first appearance. */
  public static final Map<String, Type> PROPERTIES = properties();

  private static Map<String, Type> properties() {
    Map<String, Type> out = new LinkedHashMap<>();
    for (Event e : EVENTS) {
      for (Property p : e.properties()) {
        out.putIfAbsent(p.name(), p.type());
      }
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /** The envelope field names a preset may fill (all but the event name, which its name maps give). */
  public static List<String> presetFields() {
    List<String> out = new ArrayList<>();
    for (Field f : ENVELOPE) {
      if (!f.name().equals("event_name") && f.type() != Type.OBJECT) {
        out.add(f.name());
      }
    }
    return List.copyOf(out);
  }

  /** The stored column of a property: its name, or `email_hash` for the e-mail. */
  public static String column(String property) {
    return property.equals(EMAIL) ? "email_hash" : property;
  }

  public static Event event(String name) {
    return EVENTS.stream().filter(e -> e.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no event " + name));
  }

  private static Event event(String name, boolean conversation, Property... properties) {
    return new Event(name, conversation, List.of(properties));
  }

  private static Property required(String name, Type type) {
    return new Property(name, type, true);
  }

  private static Property optional(String name, Type type) {
    return new Property(name, type, false);
  }
}
