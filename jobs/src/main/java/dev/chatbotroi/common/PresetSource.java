package dev.chatbotroi.common;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.File;
import java.net.URL;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The HOCON an `input.*.format` setting names (docs/inputs.md), read but not interpreted; grain: one per setting. */
public record PresetSource(String setting, String origin, Config config) {

  /** Built-in presets by setting, in `conf/presets/` and on the classpath under `presets/`. */
  public static final Map<String, List<String>> BUILT_IN = Map.of(
      "input.events.format", List.of("segment", "mixpanel", "ga4", "rasa", "botframework"),
      "input.crm.format", List.of("hubspot", "salesforce"),
      "input.helpdesk.format", List.of("zendesk"));

  /**
   * What a format setting names: `contract` is none (null); a built-in name loads
   * `presets/NAME.conf` from the classpath; anything else is read as a preset file path. What the
   * HOCON means is checked by the ingest layer (`ingest.preset.PresetParser`).
   */
  public static PresetSource read(String key, String value) {
    String v = value.trim();
    if (v.equalsIgnoreCase("contract")) {
      return null;
    }
    List<String> builtIn = BUILT_IN.get(key);
    Config c;
    String origin;
    if (builtIn.contains(v.toLowerCase(Locale.ROOT))) {
      origin = "presets/" + v.toLowerCase(Locale.ROOT) + ".conf";
      URL url = PresetSource.class.getClassLoader().getResource(origin);
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
    return new PresetSource(key, origin, c);
  }
}
