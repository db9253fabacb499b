package dev.chatbotroi.ingest;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.rtrim;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_parse_json;
import static org.apache.spark.sql.functions.try_variant_get;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import static dev.chatbotroi.ingest.Rules.not;
import static dev.chatbotroi.ingest.Rules.rule;

import dev.chatbotroi.common.EventContract;
import dev.chatbotroi.common.Pii;
import dev.chatbotroi.common.Schemas;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.ingest.preset.PresetMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Validates raw event lines against the rules of docs/ingest.md, in its check order, and
 * parses the valid ones into the columns of the `events` table; one output row per input line.
 */
public final class EventRecords {
  private EventRecords() {}

  public static final String REASON = "reason";
  public static final String DETAIL = "detail";

  public static final String TS_PATTERN =
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$";

  /** Events with no conversation: they need no conversation_id. */
  static final List<String> NON_CONVERSATION = EventContract.NON_CONVERSATION;

  /** Required properties by event, in the order they are checked (EventContract). */
  static final Map<String, List<String>> REQUIRED = new LinkedHashMap<>();
  /**
   * Properties each event may carry, with their type as the rules name it (string, boolean, score,
   * revenue, currency): checked when present and not null.
   */
  static final Map<String, List<String[]>> TYPED = new LinkedHashMap<>();

  static {
    for (EventContract.Event e : EventContract.EVENTS) {
      List<String> required = new ArrayList<>();
      List<String[]> typed = new ArrayList<>();
      for (EventContract.Property p : e.properties()) {
        if (p.required()) {
          required.add(p.name());
        }
        typed.add(new String[] {p.name(), p.type().name().toLowerCase(java.util.Locale.ROOT)});
      }
      if (!required.isEmpty()) {
        REQUIRED.put(e.name(), List.copyOf(required));
      }
      if (!typed.isEmpty()) {
        TYPED.put(e.name(), List.copyOf(typed));
      }
    }
  }

  /** The events that may carry {@code property} (see {@link #TYPED}), in its order. */
  public static List<String> eventsCarrying(String property) {
    List<String> on = new ArrayList<>();
    TYPED.forEach((event, typed) -> {
      for (String[] t : typed) {
        if (t[0].equals(property)) {
          on.add(event);
        }
      }
    });
    return on;
  }

  /** Top-level fields that must be strings when present (event_name is checked by unknown_event). */
  static final List<String> STRING_FIELDS = EventContract.ENVELOPE.stream()
      .filter(f -> f.type() == EventContract.Type.STRING && !f.name().equals("event_name"))
      .map(EventContract.Field::name).toList();

  /** Every JSON path the rules read; each is extracted once into a type and a text column. */
  static final List<String> PATHS = new ArrayList<>();

  static {
    for (EventContract.Field f : EventContract.ENVELOPE) {
      PATHS.add("$." + f.name());
    }
    for (String p : EventContract.PROPERTIES.keySet()) {
      PATHS.add("$.properties." + p);
    }
  }

  private static String key(String path) {
    return path.substring(2).replace('.', '_');
  }

  /** The JSON type of a path (STRING, BIGINT, DECIMAL, DOUBLE, BOOLEAN, OBJECT, ARRAY, VOID), null if absent. */
  private static Column typeOf(String path) {
    return col(JsonFields.typeColumn(key(path)));
  }

  /** The value of a path when it is a JSON string, else null. */
  private static Column text(String path) {
    return col(JsonFields.textColumn(key(path)));
  }

  /** Every path's key, as {@link JsonFields} names its columns. */
  private static final List<String> KEYS = PATHS.stream().map(EventRecords::key).toList();

  /**
   * The text of a path whatever its JSON type, for the stored columns: strings come from
   * {@link JsonFields}; the rare number, boolean or object where a string is usual is read as
   * try_variant_get(…, 'string') does, parsing the line again only for those rows.
   */
  private static Column textAny(String path) {
    return when(notText(path), col(reparsedText(path))).otherwise(text(path));
  }

  /** The column holding a re-parsed path's text, its addresses hashed (an object's JSON text may hold one). */
  private static String reparsedText(String path) {
    return "_rt_" + key(path);
  }

  /** Present with a JSON value other than a string or null. */
  private static Column notText(String path) {
    Column t = typeOf(path);
    return coalesce(t.notEqual("STRING").and(t.notEqual("VOID")), lit(false));
  }

  /** The paths stored as text (textAny): a line with any of them not a string is parsed again. */
  private static final List<String> TEXT_PATHS = textPaths();

  private static List<String> textPaths() {
    List<String> out = new ArrayList<>();
    STRING_FIELDS.forEach(f -> out.add("$." + f));
    EventContract.PROPERTIES.forEach((p, type) -> {
      if (type == EventContract.Type.STRING || type == EventContract.Type.CURRENCY) {
        out.add("$.properties." + p);
      }
    });
    return List.copyOf(out);
  }

  private static Column isString(String path) {
    return coalesce(typeOf(path).equalTo("STRING"), lit(false));
  }

  /** Absent, JSON null, or a string that is blank after trimming (docs/ingest.md). */
  private static Column missing(String path) {
    Column t = typeOf(path);
    return t.isNull().or(t.equalTo("VOID"))
        .or(t.equalTo("STRING").and(trim(text(path)).equalTo("")));
  }

  /** Present with a non-null value. */
  private static Column given(String path) {
    Column t = typeOf(path);
    return t.isNotNull().and(t.notEqual("VOID"));
  }

  private static Column isInteger(String path) {
    return coalesce(typeOf(path).equalTo("BIGINT"), lit(false));
  }

  private static Column isNumber(String path) {
    Column t = typeOf(path);
    return coalesce(t.equalTo("BIGINT").or(t.equalTo("DOUBLE")).or(t.startsWith("DECIMAL")), lit(false));
  }

  /** Trimmed, lower-cased, empty → null: how the contract's NORMALISED fields are stored. */
  public static Column normalized(Column c) {
    Column t = lower(trim(c));
    return when(t.equalTo(""), lit(null).cast(DataTypes.StringType)).otherwise(t);
  }

  /**
   * {@link #normalized}, then scrubbed again: lower-casing can turn a look-alike character (the
   * Kelvin sign) into a letter that completes an address (docs/ingest.md).
   */
  static Column normalizedScrubbed(Column c, String hashKey) {
    return Pii.scrubColumn(hashKey, normalized(c));
  }

  /** The e-mail property: hashed whole into email_hash, never scrubbed first (that would hash a hash). */
  private static final String EMAIL_PATH = "$.properties.email";

  /** Null when blank: ids as sent, but a blank id is no id. */
  private static Column idOrNull(String path) {
    Column t = textAny(path);
    return when(missing(path), lit(null).cast(DataTypes.StringType)).otherwise(t);
  }

  /**
   * One row per line, with {@code reason}/{@code detail} set on lines to quarantine and the typed
   * event columns set on valid ones. Input: {@link LineReader#SCHEMA} rows with a raw line.
   */
  public static Dataset<Row> validate(Dataset<Row> lines, Settings settings, String hashKey) {
    String revenuePath = "$.properties.revenue";
    // purchases need their revenue as try_variant_get reads a decimal(38,6)
    Column purchaseWithRevenue = text("$.event_name").equalTo("purchase_after_chat").and(isNumber(revenuePath));
    Column reparse = purchaseWithRevenue;
    for (String path : TEXT_PATHS) {
      reparse = reparse.or(notText(path));
    }
    // only those lines are parsed again, once each, in a column the revenue and text columns share
    Dataset<Row> parsed = JsonFields.extract(lines, LineReader.RAW, PATHS, KEYS, hashKey, Set.of(key(EMAIL_PATH)))
        .withColumn("_reparsed", when(reparse, try_parse_json(col(LineReader.RAW))))
        .withColumn("_revenue", when(purchaseWithRevenue,
            try_variant_get(col("_reparsed"), revenuePath, "decimal(38,6)")));
    for (String path : TEXT_PATHS) {
      Column again = try_variant_get(col("_reparsed"), path, "string");
      parsed = parsed.withColumn(reparsedText(path), when(notText(path),
          path.equals(EMAIL_PATH) ? again : Pii.scrubColumn(hashKey, again)));
    }
    Column name = text("$.event_name");
    Column tsType = typeOf("$.event_ts");
    Column epoch = col(JsonFields.EPOCH);
    Column tsText = text("$.event_ts");
    Column ts = when(tsType.equalTo("BIGINT").and(abs(epoch).lt(lit(100_000_000_000_000L))),
            timestamp_millis(epoch))
        .when(tsType.equalTo("STRING").and(tsText.rlike(TS_PATTERN)),
            tsText.try_cast(DataTypes.TimestampType));
    parsed = parsed.withColumn("_ts", ts);

    boolean preset = java.util.Arrays.asList(lines.columns()).contains(PresetMapper.UNMAPPABLE);
    Column[] reasonAndDetail = reason(settings, name, preset);
    Dataset<Row> checked = parsed
        .withColumn(REASON, reasonAndDetail[0])
        .withColumn(DETAIL, reasonAndDetail[1]);

    String p = "$.properties.";
    Column valid = col(REASON).isNull();
    Column eventName = when(valid, name);
    Column revenue = col("_revenue");
    List<Column> columns = new ArrayList<>(List.of(
        col(LineReader.SOURCE_FILE), col(LineReader.LINE_NUMBER),
        // with a preset, quarantine keeps the record as read, not the envelope made from it
        (preset ? coalesce(col(PresetMapper.ORIGINAL), col(LineReader.RAW)) : col(LineReader.RAW)).as(LineReader.RAW),
        col(LineReader.FILE_ERROR), col(REASON), col(DETAIL),
        when(valid, textAny("$.event_id")).as("event_id"),
        eventName.as("event_name"),
        when(valid, col("_ts")).as("event_ts"),
        idOrNull("$.anonymous_id").as("anonymous_id"),
        idOrNull("$.user_id").as("user_id"),
        idOrNull("$.conversation_id").as("conversation_id"),
        normalizedScrubbed(textAny("$.channel"), hashKey).as("channel"),
        normalizedScrubbed(textAny("$.flow"), hashKey).as("flow"),
        normalizedScrubbed(textAny("$.intent"), hashKey).as("intent"),
        normalizedScrubbed(textAny("$.page_type"), hashKey).as("page_type"),
        textAny("$.utm_source").as("utm_source"),
        textAny("$.utm_medium").as("utm_medium"),
        textAny("$.utm_campaign").as("utm_campaign"),
        when(eventName.equalTo("bot_message"),
            coalesce(col(JsonFields.USEFUL), lit(false))).as("useful"),
        textAny(p + "reason").as("reason_property"),
        textAny(p + "goal").as("goal"),
        textAny(p + "question").as("question"),
        textAny(p + "topic").as("topic"),
        when(eventName.equalTo("csat_response"), col(JsonFields.SCORE).cast(DataTypes.IntegerType)).as("score"),
        idOrNull(p + "lead_id").as("lead_id"),
        Pii.hashColumn(hashKey, textAny(EMAIL_PATH)).as("email_hash"),
        idOrNull(p + "meeting_id").as("meeting_id"),
        idOrNull(p + "order_id").as("order_id"),
        when(eventName.equalTo("purchase_after_chat"), revenue).cast(Schemas.MONEY).as("revenue"),
        when(eventName.equalTo("purchase_after_chat"),
            coalesce(upper(trim(textAny(p + "currency"))), lit(settings.currency())))
            .otherwise(upper(trim(textAny(p + "currency")))).as("currency"),
        col(JsonFields.PROPERTIES_JSON).as("properties_json"),
        when(valid, to_date(col("_ts"))).as("event_date")));
    // each property the contract normalises (touch_channel, experiment, variant), as the dimensions are
    for (String prop : EventContract.NORMALISED) {
      if (EventContract.PROPERTIES.containsKey(prop)) {
        columns.add(normalizedScrubbed(textAny(p + prop), hashKey).as(prop));
      }
    }
    return checked.select(columns.toArray(new Column[0]));
  }

  /** The first failing rule, as [reason, detail] columns; both null for a valid line. */
  private static Column[] reason(Settings settings, Column name, boolean preset) {
    List<Column[]> rules = new ArrayList<>();
    // a line too long or not UTF-8 (the reader says which) is malformed before it is looked at
    rules.add(rule(col(LineReader.LINE_ERROR).isNotNull(), "malformed_json", col(LineReader.LINE_ERROR)));
    Column notObject = not(col(JsonFields.OBJECT)).or(not(rtrim(col(LineReader.RAW)).endsWith("}")));
    rules.add(rule(notObject, "malformed_json", lit(null).cast(DataTypes.StringType)));
    if (preset) {
      // a record the preset cannot map, right after malformed_json (docs/inputs.md)
      rules.add(rule(col(PresetMapper.UNMAPPABLE).isNotNull(), "unmappable", col(PresetMapper.UNMAPPABLE)));
    }
    rules.add(rule(missing("$.event_id"), "missing_field", lit("event_id")));
    rules.add(rule(missing("$.event_name"), "missing_field", lit("event_name")));
    Column known = isString("$.event_name")
        .and(coalesce(name.isin((Object[]) EventContract.EVENT_NAMES.toArray()), lit(false)));
    rules.add(rule(not(known), "unknown_event", lit("event_name")));
    rules.add(rule(missing("$.event_ts"), "missing_field", lit("event_ts")));
    rules.add(rule(col("_ts").isNull(), "bad_timestamp", lit("event_ts")));
    rules.add(rule(missing("$.anonymous_id").and(missing("$.user_id")), "missing_field", lit("anonymous_id")));
    rules.add(rule(missing("$.channel"), "missing_field", lit("channel")));
    rules.add(rule(not(name.isin((Object[]) NON_CONVERSATION.toArray())).and(missing("$.conversation_id")),
        "missing_field", lit("conversation_id")));
    for (Map.Entry<String, List<String>> e : REQUIRED.entrySet()) {
      for (String prop : e.getValue()) {
        rules.add(rule(name.equalTo(e.getKey()).and(missing("$.properties." + prop)),
            "missing_property", lit(prop)));
      }
    }
    for (String f : STRING_FIELDS) {
      rules.add(rule(given("$." + f).and(not(isString("$." + f))), "bad_property", lit(f)));
    }
    rules.add(rule(given("$.properties").and(not(coalesce(typeOf("$.properties").startsWith("OBJECT"), lit(false)))),
        "bad_property", lit("properties")));
    for (Map.Entry<String, List<String[]>> e : TYPED.entrySet()) {
      for (String[] prop : e.getValue()) {
        String path = "$.properties." + prop[0];
        Column bad = switch (prop[1]) {
          case "boolean" -> not(coalesce(typeOf(path).equalTo("BOOLEAN"), lit(false)));
          case "score" -> not(isInteger(path).and(col(JsonFields.SCORE).between(1, 5)));
          case "revenue" -> not(isNumber(path).and(coalesce(col("_revenue").geq(0), lit(false))));
          case "currency" -> not(isString(path)).or(
              upper(trim(text(path))).notEqual(lit(settings.currency()))
                  .and(trim(text(path)).notEqual("")));
          default -> not(isString(path));
        };
        rules.add(rule(name.equalTo(e.getKey()).and(given(path)).and(bad), "bad_property", lit(prop[0])));
      }
    }
    return Rules.first(rules);
  }
}
