package dev.chatbotroi.common;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The setting keys the product knows: every leaf of the built-in reference.conf, plus the shape of
 * a scoreboard band under {@code benchmarks.<metric>}. A key under one of the product's namespaces
 * that is not known stops the command, naming it and the closest known key (docs/settings.md).
 */
public final class SettingKeys {
  private SettingKeys() {}

  /** What a band object may hold; {@code flows.<flow>} holds a band of its own. */
  static final Set<String> BAND_FIELDS = Set.of("good", "ok", "good-range", "ok-range", "lower-is-better",
      "relative-to");

  private static final Set<String> KNOWN = known();

  /** The top-level names of reference.conf: keys under them are the product's, others the user's own. */
  private static final Set<String> NAMESPACES = namespaces();

  private static Set<String> known() {
    Config reference = ConfigFactory.parseResources(SettingKeys.class.getClassLoader(), "reference.conf",
        ConfigParseOptions.defaults().setAllowMissing(false));
    Set<String> out = new TreeSet<>();
    leaves(reference.root(), "", out);
    return out;
  }

  private static Set<String> namespaces() {
    Set<String> out = new TreeSet<>();
    KNOWN.forEach(k -> out.add(k.split("\\.", 2)[0]));
    return out;
  }

  /** Every leaf path (a list is a leaf); an unresolved `${?ENV}` value still counts as its key. */
  private static void leaves(ConfigObject o, String prefix, Set<String> out) {
    for (Map.Entry<String, ConfigValue> e : o.entrySet()) {
      String path = prefix + quoteIfNeeded(e.getKey());
      if (isObject(e.getValue())) {
        leaves((ConfigObject) e.getValue(), path + ".", out);
      } else {
        out.add(path);
      }
    }
  }

  /** An unresolved substitution has no type yet: it is a leaf (pii.hash-key = ${?CHATBOT_ROI_PII_KEY}). */
  private static boolean isObject(ConfigValue v) {
    try {
      return v.valueType() == ConfigValueType.OBJECT;
    } catch (com.typesafe.config.ConfigException.NotResolved e) {
      return false;
    }
  }

  private static String quoteIfNeeded(String segment) {
    return segment.matches("[A-Za-z0-9_\\-]+") ? segment : "\"" + segment + "\"";
  }

  /** Every known key, sorted: for docs and tests. */
  public static Set<String> all() {
    return KNOWN;
  }

  /**
   * Fails on the first (in sorted order) key of {@code merged} under a product namespace that is
   * not a known key nor a part of a band, naming the closest known key.
   */
  static void check(Config merged) {
    Set<String> given = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : merged.entrySet()) {
      given.add(e.getKey());
    }
    for (String key : given) {
      String top = key.split("\\.", 2)[0];
      if (!NAMESPACES.contains(top) || KNOWN.contains(key) || isBandField(key)) {
        continue;
      }
      throw new SettingsException(key, "unknown key" + suggestion(key));
    }
  }

  /**
   * benchmarks.<metric>.<field> or benchmarks.<metric>.flows.<flow>.<field>, where the metric is one
   * that has a band in reference.conf: only those are graded on the scoreboard, so a band for any
   * other name (a misspelt one) would never be read.
   */
  static boolean isBandField(String key) {
    String[] p = key.split("\\.");
    if (p.length < 3 || !p[0].equals("benchmarks")) {
      return false;
    }
    String band = "benchmarks." + p[1] + ".";
    if (KNOWN.stream().noneMatch(k -> k.startsWith(band))) {
      return false;
    }
    if (p.length == 3) {
      return BAND_FIELDS.contains(p[2]);
    }
    return p.length == 5 && p[2].equals("flows") && BAND_FIELDS.contains(p[4]);
  }

  /** " (did you mean X?)" for the known key nearest by edit distance, when one is near enough. */
  static String suggestion(String key) {
    List<String> candidates = new ArrayList<>(KNOWN);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : candidates) {
      int d = distance(key, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(3, key.length() / 3) ? " (did you mean " + best + "?)" : "";
  }

  /** Levenshtein distance: the number of single-character edits between two keys. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
