package dev.chatbotroi.common;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.io.Serializable;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An input preset (docs/inputs.md), parsed from HOCON: how one foreign record becomes events or a
 * CRM / help-desk row (docs/ingest.md). One preset file may hold an `events`, `leads`, `deals` and `tickets` section. Grain: one
 * preset per setting; the Spark side is {@code ingest.PresetMapper}.
 */
public record Preset(String name, String origin, Section events, Section leads, Section deals,
    Section tickets) implements Serializable {

  /** Built-in presets by setting, in `conf/presets/` and on the classpath under `presets/`. */
  public static final Map<String, List<String>> BUILT_IN = Map.of(
      "input.events.format", List.of("segment", "mixpanel", "ga4", "rasa", "botframework"),
      "input.crm.format", List.of("hubspot", "salesforce"),
      "input.helpdesk.format", List.of("zendesk"));

  /** The event envelope fields a preset may fill, in envelope order (docs/ingest.md). */
  public static final List<String> EVENT_FIELDS = List.of("event_id", "event_ts", "anonymous_id",
      "user_id", "conversation_id", "channel", "flow", "intent", "page_type", "utm_source",
      "utm_medium", "utm_campaign");

  /** The event properties a preset may fill (docs/ingest.md). */
  public static final List<String> EVENT_PROPERTIES = List.of("useful", "reason", "goal", "question",
      "topic", "score", "lead_id", "email", "meeting_id", "order_id", "revenue", "currency",
      "touch_channel");

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

  /**
   * The preset a format setting names: `contract` is none (null); a built-in name loads
   * `presets/NAME.conf` from the classpath; anything else is read as a preset file path.
   */
  public static Preset forSetting(String key, String value) {
    String v = value.trim();
    if (v.equalsIgnoreCase("contract")) {
      return null;
    }
    List<String> builtIn = BUILT_IN.get(key);
    Config c;
    String origin;
    if (builtIn.contains(v.toLowerCase(Locale.ROOT))) {
      origin = "presets/" + v.toLowerCase(Locale.ROOT) + ".conf";
      URL url = Preset.class.getClassLoader().getResource(origin);
      if (url == null) {
        throw new SettingsException(key, "built-in preset " + origin + " is missing from the classpath");
      }
      try {
        c = ConfigFactory.parseURL(url, ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
      } catch (ConfigException e) {
        throw new SettingsException(key, origin + ": " + Settings.oneLine(e));
      }
    } else {
      File f = new File(v);
      if (!f.isFile()) {
        throw new SettingsException(key, "unknown format '" + v + "' (available: contract, "
            + String.join(", ", builtIn) + ", or the path of a preset file)");
      }
      origin = f.getPath();
      try {
        c = ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
      } catch (ConfigException e) {
        throw new SettingsException(key, "preset file " + origin + ": " + Settings.oneLine(e));
      }
    }
    Preset p;
    try {
      p = parse(c, origin);
    } catch (PresetException e) {
      throw new SettingsException(key, "preset " + origin + ": " + e.getMessage());
    } catch (ConfigException e) {
      throw new SettingsException(key, "preset " + origin + ": " + Settings.oneLine(e));
    }
    List<String> need = switch (key) {
      case "input.events.format" -> List.of("events");
      case "input.crm.format" -> List.of("leads", "deals");
      default -> List.of("tickets");
    };
    boolean any = need.stream().anyMatch(s -> p.section(s) != null);
    if (!any) {
      throw new SettingsException(key, "preset " + origin + " has no " + String.join(" or ", need) + " section");
    }
    return p;
  }

  public Section section(String target) {
    return switch (target) {
      case "events" -> events;
      case "leads" -> leads;
      case "deals" -> deals;
      case "tickets" -> tickets;
      default -> null;
    };
  }

  /** A problem inside a preset file; the caller adds the setting key and file. */
  static final class PresetException extends RuntimeException {
    PresetException(String m) {
      super(m);
    }
  }

  /** Parses a whole preset config. */
  public static Preset parse(Config c, String origin) {
    String name = c.hasPath("name") ? c.getString("name").trim() : new File(origin).getName().replaceFirst("\\.conf$", "");
    return new Preset(name, origin,
        c.hasPath("events") ? section(c.getConfig("events"), "events", true) : null,
        c.hasPath("leads") ? section(c.getConfig("leads"), "leads", false) : null,
        c.hasPath("deals") ? section(c.getConfig("deals"), "deals", false) : null,
        c.hasPath("tickets") ? section(c.getConfig("tickets"), "tickets", false) : null);
  }

  static Section section(Config c, String where, boolean events) {
    String explode = c.hasPath("explode") ? c.getString("explode") : null;
    List<String> require = c.hasPath("require") ? strings(c, "require") : List.of();
    Conversation conv = c.hasPath("conversation") ? conversation(c.getConfig("conversation"), where + ".conversation") : null;
    Map<String, Field> fields = new LinkedHashMap<>();
    List<String> targets = new ArrayList<>();
    if (events) {
      targets.addAll(EVENT_FIELDS);
      for (String p : EVENT_PROPERTIES) {
        targets.add("properties." + p);
      }
    } else {
      targets.addAll(CRM_COLUMNS.getOrDefault(where, List.of()));
    }
    if (c.hasPath("fields")) {
      Config f = c.getConfig("fields");
      for (Map.Entry<String, ConfigValue> e : f.root().entrySet()) {
        if (e.getKey().equals("properties") && events) {
          for (String prop : f.getConfig("properties").root().keySet()) {
            if (!EVENT_PROPERTIES.contains(prop)) {
              throw new PresetException(where + ".fields.properties." + prop
                  + ": not an event property (known: " + EVENT_PROPERTIES + ")");
            }
          }
          continue;
        }
        if (!targets.contains(e.getKey())) {
          // a misspelt target would otherwise leave its column empty without a word
          throw new PresetException(where + ".fields." + e.getKey() + ": not a "
              + (events ? "field of the events envelope" : where + " column") + " (known: " + targets + ")");
        }
      }
      for (String t : targets) {
        if (f.hasPath(t)) {
          fields.put(t, field(f.getValue(t), where + ".fields." + t));
        }
      }
    }
    if (events && !fields.containsKey("event_id")) {
      throw new PresetException(where + ".fields.event_id is required (a path, or hash = [...])");
    }
    if (events && !fields.containsKey("event_ts")) {
      throw new PresetException(where + ".fields.event_ts is required");
    }
    Map<String, List<String>> names = c.hasPath("names") ? names(c, "names") : Map.of();
    List<Rule> rules = new ArrayList<>();
    if (c.hasPath("rules")) {
      int i = 0;
      for (Config r : c.getConfigList("rules")) {
        rules.add(rule(r, where + ".rules[" + (i++) + "]", names));
      }
    }
    if (events && rules.isEmpty()) {
      throw new PresetException(where + ".rules: at least one rule is needed to name the events");
    }
    String otherwise = c.hasPath("otherwise") ? c.getString("otherwise").trim() : "skip";
    if (!List.of("skip", "unmappable").contains(otherwise)) {
      throw new PresetException(where + ".otherwise: expected skip or unmappable, got '" + otherwise + "'");
    }
    return new Section(explode, require, conv, fields, rules, otherwise);
  }

  static Conversation conversation(Config c, String where) {
    if (!c.hasPath("key")) {
      throw new PresetException(where + ".key is required");
    }
    Map<String, Context> previous = new LinkedHashMap<>();
    if (c.hasPath("context")) {
      Config p = c.getConfig("context");
      for (String k : p.root().keySet()) {
        Config one = p.getConfig(k);
        String scope = one.hasPath("scope") ? one.getString("scope").trim() : "before";
        if (!List.of("before", "first").contains(scope)) {
          throw new PresetException(where + ".context." + k + ".scope: expected before or first, got '" + scope + "'");
        }
        previous.put(k, new Context(one.getString("path"),
            one.hasPath("when") ? conds(one, "when", where + ".context." + k) : List.of(), scope));
      }
    }
    return new Conversation(strings(c, "key"),
        c.hasPath("new-session-when") ? conds(c, "new-session-when", where) : List.of(),
        c.hasPath("first-user-when") ? conds(c, "first-user-when", where) : List.of(), previous);
  }

  static Rule rule(Config r, String where, Map<String, List<String>> sectionNames) {
    List<Cond> when = r.hasPath("when") ? conds(r, "when", where) : List.of();
    String skip = r.hasPath("skip") ? r.getString("skip") : null;
    List<String> emit = r.hasPath("event") ? strings(r, "event") : null;
    String mapFrom = r.hasPath("map-from") ? r.getString("map-from") : null;
    String unmappable = r.hasPath("unmappable") ? r.getString("unmappable") : null;
    int kinds = (skip == null ? 0 : 1) + (emit == null ? 0 : 1) + (mapFrom == null ? 0 : 1)
        + (unmappable == null ? 0 : 1);
    if (kinds != 1) {
      throw new PresetException(where + ": needs exactly one of skip, event, map-from, unmappable");
    }
    Map<String, List<String>> names = new LinkedHashMap<>(sectionNames);
    if (r.hasPath("names")) {
      names.putAll(names(r, "names"));
    }
    String others = r.hasPath("others") ? r.getString("others").trim() : "skip";
    if (!List.of("skip", "keep", "unmappable").contains(others)) {
      throw new PresetException(where + ".others: expected skip, keep or unmappable, got '" + others + "'");
    }
    return new Rule(when, skip, r.hasPath("skip-by") ? r.getString("skip-by") : null,
        emit == null ? null : List.copyOf(emit), mapFrom, names, others, unmappable);
  }

  /** A vendor name → event name(s) map; keys trimmed and lower-cased (matching ignores case). */
  static Map<String, List<String>> names(Config c, String key) {
    Map<String, List<String>> names = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : flatten(c.getObject(key).unwrapped(), "").entrySet()) {
      Object v = e.getValue();
      List<String> list = new ArrayList<>();
      if (v instanceof List<?> l) {
        l.forEach(x -> list.add(String.valueOf(x)));
      } else if (v != null) {
        list.add(String.valueOf(v));
      }
      names.put(e.getKey().trim().toLowerCase(Locale.ROOT), List.copyOf(list));
    }
    return names;
  }

  /** HOCON turns unquoted dotted keys into nested objects; vendor names are flattened back. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> flatten(Map<String, Object> m, String prefix) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> sub) {
        out.putAll(flatten((Map<String, Object>) sub, prefix + e.getKey() + "."));
      } else {
        out.put(prefix + e.getKey(), e.getValue());
      }
    }
    return out;
  }

  static Field field(ConfigValue v, String where) {
    if (v.valueType() == ConfigValueType.STRING) {
      return new Field(List.of((String) v.unwrapped()), null, null, null, null, "|", List.of(), null,
          List.of(), Map.of(), "keep", null, null, false);
    }
    if (v.valueType() == ConfigValueType.LIST) {
      List<String> paths = new ArrayList<>();
      for (Object o : (List<?>) v.unwrapped()) {
        paths.add(String.valueOf(o));
      }
      return new Field(List.copyOf(paths), null, null, null, null, "|", List.of(), null, List.of(),
          Map.of(), "keep", null, null, false);
    }
    if (v.valueType() != ConfigValueType.OBJECT) {
      throw new PresetException(where + ": expected a path, a list of paths or an object");
    }
    Config c = ((com.typesafe.config.ConfigObject) v).toConfig();
    List<String> paths = c.hasPath("path") ? strings(c, "path") : List.of();
    Object value = c.hasPath("value") ? c.getValue("value").unwrapped() : null;
    List<String> hash = c.hasPath("hash") ? strings(c, "hash") : null;
    List<String> concat = c.hasPath("concat") ? strings(c, "concat") : null;
    if (paths.isEmpty() && value == null && hash == null && concat == null && !c.hasPath("cases")
        && !c.hasPath("default")) {
      throw new PresetException(where + ": needs path, value, hash, concat, cases or default");
    }
    List<Case> cases = new ArrayList<>();
    if (c.hasPath("cases")) {
      int i = 0;
      for (Config k : c.getConfigList("cases")) {
        cases.add(new Case(conds(k, "when", where + ".cases[" + i + "]"), k.getValue("value").unwrapped()));
        i++;
      }
    }
    List<String[]> patterns = new ArrayList<>();
    if (c.hasPath("patterns")) {
      for (Object o : c.getList("patterns").unwrapped()) {
        if (!(o instanceof List<?> pair) || pair.size() != 2) {
          throw new PresetException(where + ".patterns: expected [[regex, value], ...]");
        }
        String re = String.valueOf(pair.get(0));
        try {
          Pattern.compile(re);
        } catch (RuntimeException e) {
          throw new PresetException(where + ".patterns: bad regex '" + re + "'");
        }
        patterns.add(new String[] {re, String.valueOf(pair.get(1))});
      }
    }
    Map<String, Object> map = new LinkedHashMap<>();
    if (c.hasPath("map")) {
      for (Map.Entry<String, Object> e : flatten(c.getObject("map").unwrapped(), "").entrySet()) {
        map.put(e.getKey().trim().toLowerCase(Locale.ROOT), e.getValue());
      }
    }
    String time = c.hasPath("time") ? c.getString("time").trim() : null;
    if (time != null && !TIME_UNITS.contains(time)) {
      throw new PresetException(where + ".time: expected one of " + TIME_UNITS + ", got '" + time + "'");
    }
    return new Field(paths, value, c.hasPath("default") ? c.getValue("default").unwrapped() : null,
        hash, concat, c.hasPath("separator") ? c.getString("separator") : "|", List.copyOf(cases),
        c.hasPath("split") ? c.getString("split") : null, List.copyOf(patterns), map,
        c.hasPath("others") ? c.getString("others").trim() : "keep", time,
        c.hasPath("format") ? c.getString("format") : null,
        c.hasPath("required") && c.getBoolean("required"));
  }

  private static final Pattern COND = Pattern.compile(
      "^\\s*(\\S+)\\s+(=|!=|in|!in|~|exists|missing)(?:\\s+(.*))?$");

  static List<Cond> conds(Config c, String key, String where) {
    List<Cond> out = new ArrayList<>();
    for (String s : strings(c, key)) {
      Matcher m = COND.matcher(s);
      if (!m.matches()) {
        throw new PresetException(where + "." + key + ": cannot read condition '" + s
            + "' (path = v | path != v | path in a, b | path !in a, b | path ~ regex | path exists | path missing)");
      }
      String op = m.group(2);
      String rest = m.group(3) == null ? "" : m.group(3).trim();
      List<String> values = new ArrayList<>();
      if (op.equals("in") || op.equals("!in")) {
        for (String x : rest.split(",")) {
          values.add(x.trim().toLowerCase(Locale.ROOT));
        }
      } else if (op.equals("~")) {
        values.add(rest);
      } else if (!op.equals("exists") && !op.equals("missing")) {
        values.add(rest.toLowerCase(Locale.ROOT));
      }
      out.add(new Cond(m.group(1), op, List.copyOf(values)));
    }
    return List.copyOf(out);
  }

  static List<String> strings(Config c, String key) {
    ConfigValue v = c.getValue(key);
    if (v.valueType() == ConfigValueType.LIST) {
      List<String> out = new ArrayList<>();
      for (Object o : (List<?>) v.unwrapped()) {
        out.add(String.valueOf(o));
      }
      return List.copyOf(out);
    }
    return List.of(String.valueOf(v.unwrapped()));
  }
}
