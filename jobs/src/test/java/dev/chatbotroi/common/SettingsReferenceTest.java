package dev.chatbotroi.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/settings.md documents every key of reference.conf, and nothing else. No Spark.
 *
 * <p>The keys of reference.conf are its leaf paths, read from the parsed but unresolved tree (so
 * {@code pii.hash-key = ${?CHATBOT_ROI_PII_KEY}} counts although it has no value here). Below
 * {@code benchmarks.} an object is a band, and the band's path is the key (its good / ok /
 * good-range / ok-range / lower-is-better / relative-to are described in prose); each
 * {@code flows.<name>} band inside it is a key of its own.
 *
 * <p>The rows of docs/settings.md are the table rows whose first cell is one name in backticks
 * that looks like a setting key, e.g. {@code | `csat.positive-min` | `4` | … |}.
 */
class SettingsReferenceTest {
  private static final Path DOC = Path.of("..", "docs", "settings.md");
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`([A-Za-z][A-Za-z0-9_.\\-]*)`\\s*\\|");

  @Test
  void everyKeyOfReferenceConfHasARow() throws IOException {
    Set<String> rows = documentedRows();
    List<String> missing = new ArrayList<>();
    for (String key : referenceKeys()) {
      if (!rows.contains(key)) {
        missing.add(key);
      }
    }
    assertTrue(missing.isEmpty(), () -> "reference.conf key(s) with no row in docs/settings.md: "
        + String.join(", ", missing) + " (add a row: | `key` | `default` | meaning |)");
  }

  @Test
  void everyRowOfTheDocIsAKeyOfReferenceConf() throws IOException {
    Set<String> keys = referenceKeys();
    List<String> stale = new ArrayList<>();
    for (String row : documentedRows()) {
      if (!keys.contains(row)) {
        stale.add(row);
      }
    }
    assertTrue(stale.isEmpty(), () -> "docs/settings.md documents key(s) that reference.conf does not have: "
        + String.join(", ", stale));
  }

  @Test
  void noKeyIsDocumentedTwice() throws IOException {
    List<String> all = rowList();
    Set<String> seen = new TreeSet<>();
    List<String> twice = new ArrayList<>();
    for (String r : all) {
      if (!seen.add(r)) {
        twice.add(r);
      }
    }
    assertEquals(List.of(), twice, "keys with more than one row in docs/settings.md");
  }

  /** The test's own reading of the rule, on a key that must be there and one that must not. */
  @Test
  void theRuleReadsBandsAsOneKey() {
    Set<String> keys = referenceKeys();
    assertTrue(keys.contains("pii.hash-key"), "an optional substitution is still a key");
    assertTrue(keys.contains("benchmarks.min-sample"), keys.toString());
    assertTrue(keys.contains("benchmarks.handoff_rate"), keys.toString());
    assertTrue(keys.contains("benchmarks.median_turns.flows.lead_qualification"), keys.toString());
    assertTrue(keys.stream().noneMatch(k -> k.endsWith(".good") || k.endsWith(".ok-range")), keys.toString());
  }

  // ------------------------------------------------------------------ reading both sides

  /** The leaf paths of reference.conf, with benchmark bands as one path each. */
  static Set<String> referenceKeys() {
    ConfigObject root = ConfigFactory.parseURL(referenceConf(),
        ConfigParseOptions.defaults().setAllowMissing(false)).root();
    Set<String> keys = new TreeSet<>();
    walk(root, "", keys);
    return keys;
  }

  private static void walk(ConfigObject object, String prefix, Set<String> keys) {
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      // instanceof, not valueType(): an unresolved substitution has no type yet
      boolean isObject = e.getValue() instanceof ConfigObject;
      if (isObject && prefix.equals("benchmarks")) {
        band((ConfigObject) e.getValue(), path, keys);
      } else if (isObject) {
        walk((ConfigObject) e.getValue(), path, keys);
      } else {
        keys.add(path);
      }
    }
  }

  /** A band is one key; each band under its `flows` is one more. */
  private static void band(ConfigObject band, String path, Set<String> keys) {
    keys.add(path);
    if (band.get("flows") instanceof ConfigObject flows) {
      for (Map.Entry<String, ConfigValue> f : flows.entrySet()) {
        if (f.getValue() instanceof ConfigObject flowBand) {
          band(flowBand, path + ".flows." + f.getKey(), keys);
        }
      }
    }
  }

  /** Our reference.conf: the one on the classpath that is a plain file (target/classes), not in a jar. */
  private static URL referenceConf() {
    List<URL> ours = new ArrayList<>();
    try {
      for (URL u : Collections.list(SettingsReferenceTest.class.getClassLoader().getResources("reference.conf"))) {
        if (u.getProtocol().equals("file")) {
          ours.add(u);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list reference.conf on the classpath", e);
    }
    assertEquals(1, ours.size(), "reference.conf files outside jars on the classpath: " + ours);
    return ours.get(0);
  }

  private static Set<String> documentedRows() throws IOException {
    return new LinkedHashSet<>(rowList());
  }

  private static List<String> rowList() throws IOException {
    assertTrue(Files.isRegularFile(DOC), DOC.toAbsolutePath() + " not found (tests run in jobs/)");
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(DOC)) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }
}
