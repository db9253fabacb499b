package dev.chatbotroi.common;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** All settings of one command (docs/settings.md), parsed once from HOCON into immutable records. */
public record Settings(
    ZoneId timezone,
    String currency,
    Optional<String> piiHashKey,
    int csatPositiveMin,
    Deflection deflection,
    Conversion conversion,
    LeadQualityLevel leadQualityLevel,
    Attribution attribution,
    double crmDefaultGrossMargin,
    Costs costs,
    Benchmarks benchmarks,
    Diagnostics diagnostics,
    Run run,
    Input input,
    Ingest ingest,
    int shufflePartitions,
    Incrementality incrementality) {

  public enum LeadQualityLevel { MQL, SQL }

  public enum Anchor { CLOSED_AT, CREATED_AT }

  public record Deflection(List<String> eligibleIntents, int ticketWindowDays) {}

  public record Conversion(List<String> events, int windowDays) {}

  public record Attribution(
      List<String> models,
      List<Integer> windowDays,
      Anchor anchor,
      double positionFirst,
      double positionLast,
      double halfLifeDays,
      String roiModel,
      int roiWindowDays,
      int shapleyMaxStates) {}

  public record Costs(
      double platformMonthly,
      double maintenanceMonthly,
      double perConversation,
      double manualCostPerConversation) {}

  /** A scoreboard band: thresholds, or ranges for metrics that are best in the middle. */
  public record Band(
      Double good, Double ok, boolean lowerIsBetter,
      List<Double> goodRange, List<Double> okRange, String relativeTo,
      Map<String, Band> flows) {}

  /**
   * The scoreboard's bands; {@code baselineOkMargin}: how far under the form-lead baseline a lead
   * metric may sit and still be `ok`.
   */
  public record Benchmarks(int minSample, double baselineOkMargin, Map<String, Band> bands) {}

  /** Thresholds of the playbook diagnostics that are not bands (docs/metrics.md). */
  public record Diagnostics(double trappingHandoffBelow, double belowHumanPoints) {}

  public record Run(int chunkDays, int lookbackDays) {}

  /** Ingest limits: a line (or JSON record) longer than this many bytes is quarantined as too_long. */
  public record Ingest(long maxLineBytes) {}

  /**
   * Holdout experiments (docs/experiments.md): the variant names that are controls (trimmed,
   * lower-cased, as assignment events store them) and the outcome window after an assignment.
   */
  public record Incrementality(List<String> controlVariants, int windowDays) {}

  /**
   * Input formats (docs/inputs.md) as given: `contract`, a built-in preset name or a preset file,
   * checked to name a built-in or a readable HOCON file; the ingest layer parses the presets
   * ({@code ingest.preset.InputPresets}).
   */
  public record Input(String eventsFormat, String crmFormat, String helpdeskFormat) {}

  static final List<String> MODELS =
      List.of("first_touch", "last_touch", "linear", "position_based", "time_decay", "markov", "shapley");

  /** Loads reference.conf, then the file (if any), then each key=value override. */
  public static Settings load(Path confFile, List<String> overrides) {
    Config config = ConfigFactory.empty();
    if (overrides != null) {
      for (String kv : overrides) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new UserException("--set expects key=value, got '" + kv + "'");
        }
        String key = kv.substring(0, eq).trim();
        String value = kv.substring(eq + 1).trim();
        try {
          // Parse the value as HOCON so lists and numbers work: --set attribution.window-days=[7,30]
          Config one = ConfigFactory.parseString(quoteKey(key) + " = " + value);
          config = one.withFallback(config);
        } catch (ConfigException e) {
          try {
            config = ConfigFactory.parseMap(Map.of(key, value)).withFallback(config);
          } catch (ConfigException e2) {
            throw new SettingsException(key, "cannot be parsed: " + oneLine(e2));
          }
        }
      }
    }
    if (confFile != null) {
      if (!Files.isRegularFile(confFile)) {
        throw new UserException("--conf " + confFile + ": file not found");
      }
      try {
        Config file = ConfigFactory.parseFile(
            new File(confFile.toString()), ConfigParseOptions.defaults().setAllowMissing(false));
        config = config.withFallback(file);
      } catch (ConfigException e) {
        throw new UserException("--conf " + confFile + ": " + oneLine(e));
      }
    }
    try {
      Config resolved = config
          // the built-in defaults only: ConfigFactory.defaultReference would also merge the JVM's system
          // properties, and spark-submit passes spark.master, spark.app.name … that way
          .withFallback(ConfigFactory.parseResources(Settings.class.getClassLoader(), "reference.conf",
              ConfigParseOptions.defaults().setAllowMissing(false)))
          .resolve();
      SettingKeys.check(resolved);
      return fromConfig(resolved);
    } catch (ConfigException.Missing e) {
      throw new UserException("settings: " + oneLine(e));
    } catch (ConfigException.UnresolvedSubstitution e) {
      throw new UserException("settings: " + oneLine(e));
    }
  }

  private static String quoteKey(String key) {
    // dotted path segments stay a path; HOCON needs quotes only for odd characters
    return key.matches("[A-Za-z0-9_.\\-]+") ? key : "\"" + key.replace("\"", "\\\"") + "\"";
  }

  /** A HOCON error as one line, for messages that name a setting. */
  public static String oneLine(ConfigException e) {
    return e.getMessage().replace('\n', ' ');
  }

  /** Parses an already merged config; every bad value raises a SettingsException naming its key. */
  public static Settings fromConfig(Config c) {
    ZoneId tz = get(c, "reporting.timezone", k -> {
      String v = c.getString(k);
      try {
        return ZoneId.of(v);
      } catch (DateTimeException e) {
        throw new SettingsException(k, "unknown time zone '" + v + "'");
      }
    });
    String currency = get(c, "currency", k -> {
      String v = c.getString(k).trim().toUpperCase(Locale.ROOT);
      if (!v.matches("[A-Z]{3}")) {
        throw new SettingsException(k, "expected a 3-letter currency code, got '" + v + "'");
      }
      return v;
    });
    Optional<String> key = c.hasPath("pii.hash-key")
        ? Optional.of(get(c, "pii.hash-key", c::getString)).filter(s -> !s.isBlank())
        : Optional.empty();
    int csatMin = intIn(c, "csat.positive-min", 1, 5);
    Deflection deflection = new Deflection(
        names(c, "deflection.eligible-intents"), intIn(c, "deflection.ticket-window-days", 0, 3650));
    List<String> convEvents = names(c, "conversion.events");
    for (String e : convEvents) {
      if (!EventContract.EVENT_NAMES.contains(e)) {
        throw new SettingsException("conversion.events", "unknown event '" + e + "'");
      }
    }
    Conversion conversion = new Conversion(convEvents, intIn(c, "conversion.window-days", 0, 3650));
    LeadQualityLevel level = enumOf(c, "lead-quality.level", LeadQualityLevel.class);
    List<String> models = names(c, "attribution.models");
    for (String m : models) {
      if (!MODELS.contains(m)) {
        throw new SettingsException("attribution.models", "unknown model '" + m + "' (known: " + MODELS + ")");
      }
    }
    List<Integer> windows = get(c, "attribution.window-days", c::getIntList);
    if (windows.isEmpty() || windows.stream().anyMatch(w -> w < 1)) {
      throw new SettingsException("attribution.window-days", "expected a non-empty list of positive day counts, got " + windows);
    }
    double first = doubleIn(c, "attribution.position-based.first", 0, 1);
    double last = doubleIn(c, "attribution.position-based.last", 0, 1);
    if (first + last > 1.0 + 1e-12) {
      throw new SettingsException("attribution.position-based.first", "first + last must be at most 1, got " + (first + last));
    }
    String roiModel = get(c, "attribution.roi-model", k -> norm(c.getString(k)));
    if (!MODELS.contains(roiModel)) {
      throw new SettingsException("attribution.roi-model", "unknown model '" + roiModel + "'");
    }
    if (!models.contains(roiModel)) {
      throw new SettingsException("attribution.roi-model", "'" + roiModel + "' is not among attribution.models "
          + models + ": the roi table would have no attributed profit");
    }
    int roiWindow = intIn(c, "attribution.roi-window-days", 1, 3650);
    if (!windows.contains(roiWindow)) {
      throw new SettingsException("attribution.roi-window-days", roiWindow + " is not among attribution.window-days "
          + windows + ": the roi table would have no attributed profit");
    }
    Attribution attribution = new Attribution(models, List.copyOf(windows),
        enumOf(c, "attribution.anchor", Anchor.class), first, last,
        doubleIn(c, "attribution.time-decay.half-life-days", 1e-9, 1e9), roiModel, roiWindow,
        intIn(c, "attribution.shapley.max-states", 1, 20));
    double margin = doubleIn(c, "crm.default-gross-margin", 0, 1);
    Costs costs = new Costs(
        doubleIn(c, "costs.platform-monthly", 0, Double.MAX_VALUE),
        doubleIn(c, "costs.maintenance-monthly", 0, Double.MAX_VALUE),
        doubleIn(c, "costs.per-conversation", 0, Double.MAX_VALUE),
        doubleIn(c, "costs.manual-cost-per-conversation", 0, Double.MAX_VALUE));
    Benchmarks benchmarks = benchmarks(c);
    Diagnostics diagnostics = new Diagnostics(doubleIn(c, "diagnostics.trapping-handoff-below", 0, 1),
        doubleIn(c, "diagnostics.below-human-points", 0, 1));
    Run run = new Run(intIn(c, "run.chunk-days", 1, 3650), intIn(c, "run.lookback-days", 0, 3650));
    String ev = format(c, "input.events.format");
    String crm = format(c, "input.crm.format");
    String hd = format(c, "input.helpdesk.format");
    // read here so a missing file or bad HOCON is a settings error; what it means is ingest's to check
    PresetSource.read("input.events.format", ev);
    PresetSource.read("input.crm.format", crm);
    PresetSource.read("input.helpdesk.format", hd);
    Input input = new Input(ev, crm, hd);
    Ingest ingest = new Ingest(get(c, "ingest.max-line-bytes", k -> {
      long v = c.getBytes(k);
      if (v < 1024 || v > Integer.MAX_VALUE - 16L) {
        throw new SettingsException(k, "expected a size from 1 KiB to 2 GiB, got " + v);
      }
      return v;
    }));
    int partitions = intIn(c, "spark.shuffle-partitions", 1, 100000);
    List<String> controls = names(c, "incrementality.control-variants");
    if (controls.isEmpty()) {
      throw new SettingsException("incrementality.control-variants", "expected at least one variant name");
    }
    Incrementality incrementality = new Incrementality(controls, intIn(c, "incrementality.window-days", 1, 3650));
    return new Settings(tz, currency, key, csatMin, deflection, conversion, level, attribution,
        margin, costs, benchmarks, diagnostics, run, input, ingest, partitions, incrementality);
  }

  /** The HMAC key, or a clear error: outside `demo` the job never hashes with a made-up key. */
  public String requireHashKey() {
    return piiHashKey.orElseThrow(() -> new SettingsException("pii.hash-key",
        "is not set; set it in the conf file or export CHATBOT_ROI_PII_KEY"));
  }

  public Settings withHashKey(String hashKey) {
    return new Settings(timezone, currency, Optional.of(hashKey), csatPositiveMin, deflection,
        conversion, leadQualityLevel, attribution, crmDefaultGrossMargin, costs, benchmarks, diagnostics, run,
        input, ingest, shufflePartitions, incrementality);
  }

  /** A format name (trimmed, lower-cased) or a preset file path (kept as given); checked by {@link PresetSource}. */
  private static String format(Config c, String key) {
    String v = get(c, key, k -> c.getString(k).trim());
    String n = norm(v);
    return n.equals("contract") || PresetSource.BUILT_IN.get(key).contains(n) ? n : v;
  }

  private static Benchmarks benchmarks(Config c) {
    int minSample = intIn(c, "benchmarks.min-sample", 0, Integer.MAX_VALUE);
    Map<String, Band> bands = new LinkedHashMap<>();
    Config b = get(c, "benchmarks", c::getConfig);
    for (Map.Entry<String, ConfigValue> e : b.root().entrySet()) {
      if (e.getValue().valueType() == ConfigValueType.OBJECT) {
        bands.put(e.getKey(), band(b.getConfig(quote(e.getKey())), "benchmarks." + e.getKey()));
      }
    }
    return new Benchmarks(minSample, doubleIn(c, "benchmarks.baseline-ok-margin", 0, 1), Map.copyOf(bands));
  }

  private static String quote(String k) {
    return "\"" + k + "\"";
  }

  private static Band band(Config b, String prefix) {
    Double good = b.hasPath("good") ? get(b, "good", prefix, b::getDouble) : null;
    Double ok = b.hasPath("ok") ? get(b, "ok", prefix, b::getDouble) : null;
    boolean lower = b.hasPath("lower-is-better") && get(b, "lower-is-better", prefix, b::getBoolean);
    List<Double> goodRange = b.hasPath("good-range") ? range(b, "good-range", prefix) : null;
    List<Double> okRange = b.hasPath("ok-range") ? range(b, "ok-range", prefix) : null;
    if ((good == null || ok == null) && (goodRange == null || okRange == null)) {
      throw new SettingsException(prefix, "needs either good and ok, or good-range and ok-range");
    }
    String relativeTo = b.hasPath("relative-to") ? get(b, "relative-to", prefix, b::getString) : null;
    Map<String, Band> flows = new LinkedHashMap<>();
    if (b.hasPath("flows")) {
      Config f = get(b, "flows", prefix, b::getConfig);
      for (String flow : f.root().keySet()) {
        flows.put(norm(flow), band(f.getConfig(quote(flow)), prefix + ".flows." + flow));
      }
    }
    return new Band(good, ok, lower, goodRange, okRange, relativeTo, Map.copyOf(flows));
  }

  private static List<Double> range(Config b, String key, String prefix) {
    List<Double> r = get(b, key, prefix, b::getDoubleList);
    if (r.size() != 2 || r.get(0) > r.get(1)) {
      throw new SettingsException(prefix + "." + key, "expected [low, high], got " + r);
    }
    return List.copyOf(r);
  }

  private static String norm(String s) {
    return s.trim().toLowerCase(Locale.ROOT);
  }

  private static List<String> names(Config c, String key) {
    List<String> out = new ArrayList<>();
    for (String s : get(c, key, c::getStringList)) {
      String n = norm(s);
      if (n.isEmpty()) {
        throw new SettingsException(key, "contains an empty name");
      }
      out.add(n);
    }
    return List.copyOf(out);
  }

  private static <E extends Enum<E>> E enumOf(Config c, String key, Class<E> type) {
    String v = get(c, key, c::getString);
    try {
      return Enum.valueOf(type, norm(v).toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      List<String> known = new ArrayList<>();
      for (E x : type.getEnumConstants()) {
        known.add(x.name().toLowerCase(Locale.ROOT));
      }
      throw new SettingsException(key, "expected one of " + known + ", got '" + v + "'");
    }
  }

  private static int intIn(Config c, String key, int min, int max) {
    int v = get(c, key, c::getInt);
    if (v < min || v > max) {
      throw new SettingsException(key, "expected an integer from " + min + " to " + max + ", got " + v);
    }
    return v;
  }

  private static double doubleIn(Config c, String key, double min, double max) {
    double v = get(c, key, c::getDouble);
    if (!(v >= min && v <= max)) {
      throw new SettingsException(key, "expected a number from " + min + " to "
          + (max == Double.MAX_VALUE ? "any" : max) + ", got " + v);
    }
    return v;
  }

  private static <T> T get(Config c, String key, Function<String, T> read) {
    return get(c, key, null, read);
  }

  private static <T> T get(Config c, String key, String prefix, Function<String, T> read) {
    String full = prefix == null ? key : prefix + "." + key;
    try {
      return read.apply(key);
    } catch (ConfigException.Missing e) {
      throw new SettingsException(full, "is missing");
    } catch (ConfigException.WrongType e) {
      throw new SettingsException(full, "has the wrong type: " + oneLine(e).replaceFirst("^.*?: ", ""));
    } catch (ConfigException e) {
      throw new SettingsException(full, oneLine(e));
    }
  }
}
