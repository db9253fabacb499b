package dev.chatbotroi.ingest.preset;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.chatbotroi.common.PresetSource;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.SettingsException;
import dev.chatbotroi.ingest.preset.Preset.Case;
import dev.chatbotroi.ingest.preset.Preset.Cond;
import dev.chatbotroi.ingest.preset.Preset.Context;
import dev.chatbotroi.ingest.preset.Preset.Conversation;
import dev.chatbotroi.ingest.preset.Preset.Field;
import dev.chatbotroi.ingest.preset.Preset.Rule;
import dev.chatbotroi.ingest.preset.Preset.Section;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a preset's HOCON into a {@link Preset}, rejecting what cannot be meant (docs/inputs.md); grain: one preset. */
public final class PresetParser {
  private PresetParser() {}

  /**
   * The preset a format setting names, from the HOCON {@link PresetSource} read; errors name the
   * setting and the file, as the settings' own do.
   */
  public static Preset forSetting(PresetSource source) {
    String key = source.setting();
    String origin = source.origin();
    Config c = source.config();
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

  /** A problem inside a preset file; the caller adds the setting key and file. */
  private static final class PresetException extends RuntimeException {
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

  private static Section section(Config c, String where, boolean events) {
    String explode = c.hasPath("explode") ? c.getString("explode") : null;
    List<String> require = c.hasPath("require") ? strings(c, "require") : List.of();
    Conversation conv = c.hasPath("conversation") ? conversation(c.getConfig("conversation"), where + ".conversation") : null;
    Map<String, Field> fields = new LinkedHashMap<>();
    List<String> targets = new ArrayList<>();
    if (events) {
      targets.addAll(Preset.EVENT_FIELDS);
      for (String p : Preset.EVENT_PROPERTIES) {
        targets.add("properties." + p);
      }
    } else {
      targets.addAll(Preset.CRM_COLUMNS.getOrDefault(where, List.of()));
    }
    if (c.hasPath("fields")) {
      Config f = c.getConfig("fields");
      for (Map.Entry<String, ConfigValue> e : f.root().entrySet()) {
        if (e.getKey().equals("properties") && events) {
          for (String prop : f.getConfig("properties").root().keySet()) {
            if (!Preset.EVENT_PROPERTIES.contains(prop)) {
              throw new PresetException(where + ".fields.properties." + prop
                  + ": not an event property (known: " + Preset.EVENT_PROPERTIES + ")");
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

  private static Conversation conversation(Config c, String where) {
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

  private static Rule rule(Config r, String where, Map<String, List<String>> sectionNames) {
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
  private static Map<String, List<String>> names(Config c, String key) {
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
  private static Map<String, Object> flatten(Map<String, Object> m, String prefix) {
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

  private static Field field(ConfigValue v, String where) {
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
    if (time != null && !Preset.TIME_UNITS.contains(time)) {
      throw new PresetException(where + ".time: expected one of " + Preset.TIME_UNITS + ", got '" + time + "'");
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

  private static List<Cond> conds(Config c, String key, String where) {
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

  private static List<String> strings(Config c, String key) {
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
