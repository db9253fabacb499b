package dev.chatbotroi.ingest.preset;

import dev.chatbotroi.common.EventContract;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * An input preset (docs/inputs.md), as {@link PresetParser} reads it from HOCON: how one foreign record becomes events or a
 * CRM / help-desk row (docs/ingest.md). One preset file may hold an `events`, `leads`, `deals` and `tickets` section. Grain: one
 * preset per setting; the Spark side is {@link PresetMapper}.
 */
public record Preset(String name, String origin, Section events, Section leads, Section deals,
    Section tickets) implements Serializable {

  /** The event envelope fields a preset may fill, in envelope order (the event contract's). */
  public static final List<String> EVENT_FIELDS = EventContract.presetFields();

  /** The event properties a preset may fill (the event contract's). */
  public static final List<String> EVENT_PROPERTIES = List.copyOf(EventContract.PROPERTIES.keySet());

  /** The columns a CRM / help-desk section may fill, in the order of docs/ingest.md (CrmRecordsTest checks them against CrmRecords). */
  public static final Map<String, List<String>> CRM_COLUMNS = Map.of(
      "leads", List.of("lead_id", "created_at", "source", "email", "status", "mql_at", "sql_at",
          "meeting_booked_at", "meeting_qualified"),
      "deals", List.of("deal_id", "lead_id", "contact_email", "created_at", "closed_at", "stage", "amount",
          "gross_profit", "currency"),
      "tickets", List.of("ticket_id", "created_at", "anonymous_id", "lead_id", "conversation_id", "intent",
          "channel", "csat_score"));

  /** A part of the preset for one target: events, leads, deals or tickets. */
  public record Section(
      String explode,
      List<String> require,
      Conversation conversation,
      Map<String, Field> fields,
      List<Rule> rules,
      String otherwise) implements Serializable {}


  /**
   * One output field: fallback paths (or a literal, a hash, a concatenation), then case rules,
   * splitting, URL patterns, a value map and a time conversion, then a default.
   */
  public record Field(
      List<String> paths,
      Object value,
      Object defaultValue,
      List<String> hash,
      List<String> concat,
      String separator,
      List<Case> cases,
      String split,
      List<String[]> patterns,
      Map<String, Object> map,
      String others,
      String time,
      String format,
      boolean required) implements Serializable {}

  /** A condition list and the literal it yields. */
  public record Case(List<Cond> when, Object value) implements Serializable {}

  /** `path = a`, `path in a, b`, `path != a`, `path !in a, b`, `path exists`, `path missing`, `path ~ regex`. */
  public record Cond(String path, String op, List<String> values) implements Serializable {}

  /**
   * First matching rule wins: skip (counted, not quarantined; {@code skipBy} adds that path's value
   * to the label), emit fixed event names, map a vendor name through {@code names} (the section's
   * `names` merged with the rule's own), or declare the item unmappable; unmatched names follow
   * {@code others}.
   */
  public record Rule(List<Cond> when, String skip, String skipBy, List<String> emit, String mapFrom,
      Map<String, List<String>> names, String others, String unmappable) implements Serializable {}

  /** Conversation context for formats that need it (explosion into sessions, first user turn). */
  public record Conversation(List<String> key, List<Cond> newSession, List<Cond> firstUser,
      Map<String, Context> context) implements Serializable {}

  /**
   * `@name`: the value of {@code path} on the latest earlier item of the conversation matching
   * {@code when} (scope `before`), or on its first matching item (scope `first`).
   */
  public record Context(String path, List<Cond> when, String scope) implements Serializable {}

  public static final List<String> TIME_UNITS = List.of("iso", "auto", "s", "ms", "us", "s-or-ms");

  public Section section(String target) {
    return switch (target) {
      case "events" -> events;
      case "leads" -> leads;
      case "deals" -> deals;
      case "tickets" -> tickets;
      default -> null;
    };
  }
}
