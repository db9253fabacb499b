package dev.chatbotroi.ingest;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.named_struct;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.schema_of_variant;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.try_parse_json;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.try_variant_get;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.ingest.preset.Preset;
import dev.chatbotroi.ingest.preset.Preset.Cond;
import dev.chatbotroi.ingest.preset.Preset.Field;
import dev.chatbotroi.ingest.preset.Preset.Rule;
import dev.chatbotroi.ingest.preset.Preset.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Applies an input preset (docs/inputs.md): foreign records → event envelopes (zero or more per
 * record) or CRM / help-desk columns (docs/ingest.md), before any validation. Everything is Spark built-ins over VARIANT; the
 * preset only chooses paths, maps and conditions. Grain: one output row per emitted event, per
 * skipped or unmappable item, and per record passed through unparsed.
 */
public final class PresetMapper {
  /** The rows being built: every path and every step of a field is materialised once as a column. */
  private Dataset<Row> d;
  private int counter;
  private final Map<String, Column> pending = new java.util.LinkedHashMap<>();
  private final Map<String, Column> pathColumns = new java.util.HashMap<>();

  private PresetMapper(Dataset<Row> d) {
    this.d = d;
  }

  /**
   * Adds {@code c} as a column and returns a reference to it. Mapping expressions reuse paths and
   * steps many times; inlined, Spark's generated code would pass the JVM's 64 KB method limit.
   */
  private Column mat(Column c) {
    // a pending column cannot be used in the batch that defines it: flush first if referenced
    String text = c.toString();
    for (String p : pending.keySet()) {
      if (text.contains(p)) {
        flush();
        break;
      }
    }
    String name = "_m" + (counter++) + "_";
    pending.put(name, c);
    return col(name);
  }

  /** Adds the pending columns as one projection (a handful per preset, not one per column). */
  private Dataset<Row> flush() {
    if (!pending.isEmpty()) {
      d = d.withColumns(new java.util.LinkedHashMap<>(pending));
      pending.clear();
    }
    return d;
  }

  /** The record as read, kept for quarantine when {@code raw} is replaced by the envelope. */
  public static final String ORIGINAL = "original_raw";
  /** Set on items the preset cannot map: "preset: missing path". Becomes reason `unmappable`. */
  public static final String UNMAPPABLE = "unmappable_detail";
  /** Set on items the preset skips on purpose (counted, not quarantined): "preset: what". */
  public static final String SKIPPED = "skipped";

  private static final Column ITEM = col("_item");
  private static final Column PARENT = col("_parent");
  private static final String ISO_OUT = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX";
  private static final String LOCAL_OUT = "yyyy-MM-dd HH:mm:ss";

  /**
   * Runs {@code body} (which should persist and materialise what it maps) with the two session
   * settings a mapping needs, restored afterwards so nothing else in the run changes:
   * <ul>
   *   <li>whole-stage code generation off: a mapping is hundreds of small expressions in a few
   *       projections; fused into one generated method they pass the JVM's 64 KB limit, and Spark
   *       would only fall back after a slow failed compile. Per-expression code generation splits
   *       them fine;</li>
   *   <li>duplicate JSON keys allowed, the last one winning, as the vendors' own parsers read them
   *       (Rasa's test trackers repeat `metadata`). The contract format still rejects them.</li>
   * </ul>
   */
  public static <T> T withMappingConf(org.apache.spark.sql.SparkSession spark,
      java.util.function.Supplier<T> body) {
    Map<String, String> conf = Map.of("spark.sql.codegen.wholeStage", "false",
        "spark.sql.variant.allowDuplicateKeys", "true");
    return dev.chatbotroi.common.SessionConf.with(spark, conf, body);
  }

  /** Event records ({@link LineReader#SCHEMA}) → envelope rows in the same schema plus the three columns above. */
  public static Dataset<Row> events(Dataset<Row> records, Preset preset) {
    return new PresetMapper(items(records, preset.events())).mapEvents(preset);
  }

  private Dataset<Row> mapEvents(Preset preset) {
    Section s = preset.events();
    Map<String, Field> plain = new java.util.LinkedHashMap<>();
    s.fields().forEach((t, f) -> {
      if (!usesContext(f)) {
        plain.put(t, f);
      }
    });
    fields(plain, preset.name());
    Column tsField = field(s.fields().get("event_ts"), "event_ts", preset.name());
    d = flush().withColumn("_ts_v", tsField).withColumn("_ts_order", orderTs(col("_ts_v")));
    if (s.conversation() != null) {
      conversation(s.conversation());
    }
    fields(s.fields(), preset.name());
    for (Rule r : s.rules()) {
      r.when().forEach(c -> path(c.path()));
    }
    flush();
    List<Column> ruleConds = new ArrayList<>();
    for (Rule r : s.rules()) {
      ruleConds.add(mat(conds(r.when())));
      if (r.mapFrom() != null) {
        path(r.mapFrom());
      }
      if (r.skipBy() != null) {
        path(r.skipBy());
      }
    }
    s.require().forEach(this::path);
    flush();

    // rules: the first match decides between emit, skip and unmappable
    Column none = lit(null).cast(DataTypes.StringType);
    Column emit = null;
    Column skip = null;
    Column unmap = null;
    Column anyRule = lit(false);
    for (int i = 0; i < s.rules().size(); i++) {
      Rule r = s.rules().get(i);
      Column when = ruleConds.get(i);
      anyRule = anyRule.or(when);
      Column e = lit(null).cast("array<string>");
      Column sk = none;
      Column un = none;
      if (r.skip() != null) {
        sk = r.skipBy() == null ? lit(preset.name() + ": " + r.skip())
            : concat(lit(preset.name() + ": " + r.skip() + " "), coalesce(text(r.skipBy()), lit("(none)")));
      } else if (r.unmappable() != null) {
        un = lit(preset.name() + ": " + r.unmappable());
      } else if (r.emit() != null) {
        e = strings(r.emit());
      } else {
        Column name = text(r.mapFrom());
        Column key = lower(trim(name));
        Column mapped = null;
        for (Map.Entry<String, List<String>> n : r.names().entrySet()) {
          mapped = mapped == null ? when(key.equalTo(n.getKey()), strings(n.getValue()))
              : mapped.when(key.equalTo(n.getKey()), strings(n.getValue()));
        }
        Column matched = mapped == null ? lit(null).cast("array<string>") : mapped;
        Column unmatched = matched.isNull();
        Column label = concat(lit(preset.name() + ": unmapped " + r.mapFrom() + " '"),
            coalesce(name, lit("(none)")), lit("'"));
        if (r.others().equals("keep")) {
          e = coalesce(matched, when(name.isNotNull(), array(trim(name))));
          un = when(name.isNull(), lit(preset.name() + ": missing " + r.mapFrom()));
        } else {
          e = matched;
          if (r.others().equals("skip")) {
            sk = when(unmatched, label);
          } else {
            un = when(unmatched, label);
          }
        }
      }
      emit = emit == null ? when(when, e) : emit.when(when, e);
      skip = skip == null ? when(when, sk) : skip.when(when, sk);
      unmap = unmap == null ? when(when, un) : unmap.when(when, un);
    }
    Column noRule = Rules.not(anyRule);
    String fallbackLabel = preset.name() + ": no rule matches";
    if (s.otherwise().equals("skip")) {
      skip = when(noRule, lit(fallbackLabel)).otherwise(skip);
    } else {
      unmap = when(noRule, lit(fallbackLabel)).otherwise(unmap);
    }
    // a name mapped to an empty list emits nothing: counted as skipped, never lost
    skip = coalesce(skip, when(size(emit).equalTo(0), lit(preset.name() + ": mapped to no event")));

    // `require`: the paths that make a record one of this format, checked before the rules;
    // a field's `required`: checked on items the rules did not skip
    Column requireMissing = null;
    for (String p : s.require()) {
      Column detail = lit(preset.name() + ": missing " + p);
      Column absent = Rules.not(present(path(p)));
      requireMissing = requireMissing == null ? when(absent, detail) : requireMissing.when(absent, detail);
    }
    Column fieldMissing = null;
    for (Map.Entry<String, Field> f : s.fields().entrySet()) {
      if (f.getValue().required()) {
        Column absent = Rules.not(present(field(f.getValue(), f.getKey(), preset.name())));
        Column detail = lit(preset.name() + ": missing " + String.join(" | ", pathsOf(f.getValue())));
        fieldMissing = fieldMissing == null ? when(absent, detail) : fieldMissing.when(absent, detail);
      }
    }

    // the envelope: every mapped field as a VARIANT, so a wrong vendor type stays wrong and the
    // the ingest rules (bad_property, bad_timestamp) report it instead of a silent cast
    List<Column> envelope = new ArrayList<>();
    Column baseId = field(s.fields().get("event_id"), "event_id", preset.name());
    envelope.add(lit("event_id"));
    envelope.add(when(col("_pos").equalTo(0), baseId)
        .otherwise(concat(text(baseId), lit(":"), col("_name")).cast("variant")));
    envelope.add(lit("event_name"));
    envelope.add(col("_name").cast("variant"));
    envelope.add(lit("event_ts"));
    envelope.add(col("_ts_v"));
    for (String f : Preset.EVENT_FIELDS) {
      if (f.equals("event_id") || f.equals("event_ts")) {
        continue;
      }
      envelope.add(lit(f));
      envelope.add(fieldOrNull(s.fields().get(f), f, preset.name()));
    }
    // a property goes only on the events docs/ingest.md gives it (reason on bot_fallback / bot_handoff_human,
    // goal on bot_goal_completed, …), so one mapping serves every event a record emits
    List<Column> props = new ArrayList<>();
    for (String p : Preset.EVENT_PROPERTIES) {
      List<String> on = new ArrayList<>();
      EventRecords.TYPED.forEach((event, typed) -> {
        for (String[] t : typed) {
          if (t[0].equals(p)) {
            on.add(event);
          }
        }
      });
      props.add(lit(p));
      props.add(when(col("_name").isin(on.toArray()), fieldOrNull(s.fields().get("properties." + p), p, preset.name())));
    }
    envelope.add(lit("properties"));
    envelope.add(named_struct(props.toArray(new Column[0])));

    Dataset<Row> decided = flush()
        .withColumn("_emit", emit)
        .withColumn("_skip", skip)
        .withColumn("_unmap", coalesce(col("_empty"), requireMissing == null ? none : requireMissing, unmap))
        .withColumn("_skip", when(col("_unmap").isNull(), col("_skip")))
        .withColumn("_unmap", when(col("_skip").isNull(),
            coalesce(col("_unmap"), fieldMissing == null ? none : fieldMissing)));
    // a line that is not a JSON object is left to validation (malformed_json); an array element
    // that is not an object cannot be mapped
    Column passthrough = col("_item").isNull().and(Rules.not(col("_exploding")));
    Column badElement = col("_item").isNull().and(col("_exploding"));
    decided = decided
        .withColumn("_skip", when(passthrough.or(badElement), none).otherwise(col("_skip")))
        .withColumn("_unmap", when(passthrough, none)
            .when(badElement, lit(preset.name() + ": an element of " + s.explode() + " is not an object"))
            .otherwise(col("_unmap")));

    Column mapped = col("_unmap").isNull().and(col("_skip").isNull()).and(Rules.not(passthrough));
    Dataset<Row> exploded = decided
        .select(col("*"), posexplode(when(mapped, col("_emit"))
            .otherwise(array(lit(null).cast(DataTypes.StringType)))).as(new String[] {"_pos", "_name"}));
    return exploded.select(
        col(LineReader.SOURCE_FILE), col(LineReader.LINE_NUMBER),
        when(mapped, to_json(named_struct(envelope.toArray(new Column[0])))).otherwise(col("_original"))
            .as(LineReader.RAW),
        col(LineReader.FILE_ERROR), col(LineReader.LINE_ERROR),
        col("_original").as(ORIGINAL),
        col("_unmap").as(UNMAPPABLE),
        col("_skip").as(SKIPPED));
  }

  /**
   * Table rows as {@link InputRows#tableRows} gives them for {@code wanted} (lower-cased header
   * names), or JSON records → the CRM / help-desk string columns of {@code target} plus {@link #UNMAPPABLE}.
   */
  public static Dataset<Row> table(Dataset<Row> rows, boolean csv, Section s, List<String> targets, String presetName,
      List<String> wanted) {
    Dataset<Row> items;
    if (csv) {
      List<Column> cells = new ArrayList<>();
      for (String w : wanted) {
        cells.add(col("`" + w.replace("`", "``") + "`").as(w));
      }
      Column obj = cells.isEmpty() ? lit(null).cast("variant")
          : org.apache.spark.sql.functions.to_variant_object(org.apache.spark.sql.functions.struct(cells.toArray(new Column[0])));
      items = rows.select(col(LineReader.SOURCE_FILE), col(LineReader.LINE_NUMBER), col(LineReader.RAW),
          col(LineReader.FILE_ERROR), col(LineReader.LINE_ERROR),
          when(col(LineReader.RAW).isNotNull().and(col(LineReader.LINE_ERROR).isNull()), obj).as("_item"))
          .withColumn("_parent", lit(null).cast("variant"))
          .withColumn("_original", col(LineReader.RAW))
          .withColumn("_empty", lit(null).cast(DataTypes.StringType))
          .withColumn("_idx", lit(0));
    } else {
      items = items(rows, s);
    }
    return new PresetMapper(items).mapTable(s, targets, presetName);
  }

  private Dataset<Row> mapTable(Section s, List<String> targets, String presetName) {
    fields(s.fields(), presetName);
    s.require().forEach(this::path);
    flush();
    Column missingPath = null;
    for (String p : s.require()) {
      Column d = lit(presetName + ": missing " + p);
      missingPath = missingPath == null ? when(Rules.not(present(path(p))), d)
          : missingPath.when(Rules.not(present(path(p))), d);
    }
    for (Map.Entry<String, Field> f : s.fields().entrySet()) {
      if (f.getValue().required()) {
        Column absent = Rules.not(present(field(f.getValue(), f.getKey(), presetName)));
        Column d = lit(presetName + ": missing " + String.join(" | ", pathsOf(f.getValue())));
        missingPath = missingPath == null ? when(absent, d) : missingPath.when(absent, d);
      }
    }
    Column notParsed = col("_item").isNull();
    List<Column> out = new ArrayList<>(List.of(col(LineReader.SOURCE_FILE), col(LineReader.LINE_NUMBER),
        col("_original").as(LineReader.RAW), col(LineReader.FILE_ERROR), col(LineReader.LINE_ERROR)));
    Column unmap = coalesce(col("_empty"), missingPath == null ? lit(null).cast(DataTypes.StringType) : missingPath);
    out.add(when(notParsed.and(col(LineReader.RAW).isNotNull()).and(col(LineReader.LINE_ERROR).isNull()),
        lit(presetName + ": not a JSON object")).otherwise(unmap).as(UNMAPPABLE));
    for (String t : targets) {
      Field f = s.fields().get(t);
      out.add((f == null ? lit(null).cast(DataTypes.StringType) : text(field(f, t, presetName))).as(t));
    }
    return flush().select(out.toArray(new Column[0]));
  }

  /** The lower-cased first segment of every path a table section reads: the CSV columns to keep. */
  public static List<String> columnsRead(Section s) {
    List<String> out = new ArrayList<>();
    List<String> paths = new ArrayList<>(s.require());
    for (Field f : s.fields().values()) {
      paths.addAll(pathsOf(f));
      f.cases().forEach(c -> c.when().forEach(w -> paths.add(w.path())));
    }
    for (String p : paths) {
      if (p.startsWith("@") || p.startsWith("^")) {
        continue;
      }
      String first = p.split("[.\\[]", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (!first.isEmpty() && !out.contains(first)) {
        out.add(first);
      }
    }
    return out;
  }

  private static List<String> pathsOf(Field f) {
    List<String> out = new ArrayList<>(f.paths());
    if (f.hash() != null) {
      out.addAll(f.hash());
    }
    if (f.concat() != null) {
      out.addAll(f.concat());
    }
    return out;
  }

  /**
   * One row per item: a parsed JSON record, or each element of its {@code explode} array (with the
   * record as `^` parent). Unparsed lines pass through with a null item (validation reports them).
   */
  private static Dataset<Row> items(Dataset<Row> records, Section s) {
    // a line cut at the limit or not UTF-8 is reported as such, never mapped from what was kept of it
    Column rec = when(col(LineReader.LINE_ERROR).isNull(), try_parse_json(col(LineReader.RAW)));
    Dataset<Row> r = records.withColumn("_rec", rec)
        .withColumn("_rec", when(coalesce(schema_of_variant(col("_rec")).startsWith("OBJECT"), lit(false)),
            col("_rec")));
    Column arr = s.explode() == null ? lit(null).cast("array<variant>")
        : try_variant_get(col("_rec"), variantPath(s.explode()), "array<variant>");
    Column exploding = coalesce(size(arr).gt(0), lit(false));
    Dataset<Row> withArr = r.withColumn("_arr", arr)
        .withColumn("_exploding", exploding)
        .withColumn("_empty", s.explode() == null ? lit(null).cast(DataTypes.StringType)
            : when(col("_arr").isNotNull().and(size(col("_arr")).equalTo(0)), lit("empty " + s.explode())));
    Dataset<Row> ex = withArr.select(col("*"),
        posexplode(when(col("_exploding"), col("_arr")).otherwise(array(col("_rec")))).as(new String[] {"_idx", "_el"}));
    return ex
        .withColumn("_item", when(col("_exploding"),
            when(coalesce(schema_of_variant(col("_el")).startsWith("OBJECT"), lit(false)), col("_el")))
            .otherwise(col("_rec")))
        .withColumn("_parent", when(col("_exploding"), col("_rec")))
        .withColumn("_original", when(col("_exploding"), to_json(col("_el"))).otherwise(col(LineReader.RAW)))
        .drop("_arr", "_el", "_rec");
  }

  /** @conversation_id, @first_user and the @context columns (see {@link Preset.Conversation}). */
  private void conversation(Preset.Conversation c) {
    Column key = mat(textOf(firstPresent(c.key())));
    Column[] order = {col("_ts_order"), col(LineReader.SOURCE_FILE), col(LineReader.LINE_NUMBER), col("_idx")};
    d = flush().withColumn("_at_key", key);
    if (!c.newSession().isEmpty()) {
      Column starts = mat(conds(c.newSession()));
      d = flush().withColumn("_session", last(when(starts, unix_millis(col("_ts_order"))), true).over(
          Window.partitionBy(col("_at_key")).orderBy(order).rowsBetween(Window.unboundedPreceding(), Window.currentRow())));
      d = flush().withColumn("_at_conversation_id", when(col("_session").isNull(), col("_at_key"))
          .otherwise(concat(col("_at_key"), lit("/"), col("_session").cast(DataTypes.StringType))));
    } else {
      d = flush().withColumn("_at_conversation_id", col("_at_key"));
    }
    Column conv = col("_at_conversation_id");
    if (!c.firstUser().isEmpty()) {
      Column isUser = mat(conds(c.firstUser()));
      d = flush().withColumn("_is_user", isUser)
          .withColumn("_at_first_user", when(col("_is_user"),
              row_number().over(Window.partitionBy(conv, col("_is_user")).orderBy(order)).equalTo(1))
              .otherwise(lit(false)).cast(DataTypes.StringType));
    }
    for (Map.Entry<String, Preset.Context> p : c.context().entrySet()) {
      Column cond = mat(conds(p.getValue().when()));
      Column value = mat(when(cond, text(p.getValue().path())));
      Column over = p.getValue().scope().equals("first")
          ? first(value, true).over(Window.partitionBy(conv).orderBy(order)
              .rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing()))
          : last(value, true).over(Window.partitionBy(conv).orderBy(order)
              .rowsBetween(Window.unboundedPreceding(), -1));
      d = flush().withColumn("_at_" + p.getKey(), over);
    }
  }

  // ---- fields ----------------------------------------------------------------------------

  private Column fieldOrNull(Field f, String target, String preset) {
    return f == null ? lit(null).cast("variant") : field(f, target, preset);
  }

  private final Map<Field, Column> fieldColumns = new java.util.IdentityHashMap<>();

  /** One output field as a VARIANT (see {@link Preset.Field} for the order of the steps). */
  Column field(Field f, String target, String preset) {
    Column done = fieldColumns.get(f);
    if (done == null) {
      fields(Map.of(target, f), preset);
      done = fieldColumns.get(f);
    }
    return done;
  }

  /** True when a field reads conversation context (`@name`), which exists only after the windows. */
  private static boolean usesContext(Field f) {
    List<String> paths = new ArrayList<>(pathsOf(f));
    f.cases().forEach(c -> c.when().forEach(w -> paths.add(w.path())));
    return paths.stream().anyMatch(p -> p.trim().startsWith("@"));
  }

  /**
   * Computes the given fields step by step, all fields' same step in one projection: paths,
   * candidates (literal, paths, concatenation, hash; the first present wins), split, URL
   * patterns, value map, cases, time, format, default, then the JSON type docs/ingest.md gives the target.
   */
  private void fields(Map<String, Field> all, String preset) {
    Map<String, Field> todo = new java.util.LinkedHashMap<>();
    all.forEach((t, f) -> {
      if (f != null && !fieldColumns.containsKey(f)) {
        todo.put(t, f);
      }
    });
    if (todo.isEmpty()) {
      return;
    }
    for (Field f : todo.values()) {
      pathsOf(f).forEach(this::path);
      f.cases().forEach(c -> c.when().forEach(w -> path(w.path())));
    }
    flush();
    Map<String, Column> v = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Field> e : todo.entrySet()) {
      v.put(e.getKey(), mat(candidates(e.getValue(), preset)));
    }
    flush();
    for (int step = 0; step < 8; step++) {
      for (Map.Entry<String, Field> e : todo.entrySet()) {
        Column next = step(step, e.getValue(), e.getKey(), v.get(e.getKey()));
        if (next != null) {
          v.put(e.getKey(), mat(next));
        }
      }
      flush();
    }
    for (Map.Entry<String, Field> e : todo.entrySet()) {
      fieldColumns.put(e.getValue(), v.get(e.getKey()));
    }
  }

  private Column candidates(Field f, String preset) {
    List<Column> candidates = new ArrayList<>();
    if (f.value() != null) {
      candidates.add(literal(f.value()));
    }
    if (!f.paths().isEmpty()) {
      candidates.add(firstPresent(f.paths()));
    }
    if (f.concat() != null) {
      List<Column> parts = new ArrayList<>();
      Column all = lit(true);
      for (String p : f.concat()) {
        parts.add(textOf(path(p)));
        all = all.and(present(path(p)));
      }
      candidates.add(when(all, concat_ws(f.separator(), parts.toArray(new Column[0])).cast("variant")));
    }
    if (f.hash() != null) {
      List<Column> parts = new ArrayList<>();
      Column anyPresent = lit(false);
      for (String p : f.hash()) {
        parts.add(coalesce(textOf(path(p)), lit("")));
        anyPresent = anyPresent.or(present(path(p)));
      }
      // a name-spaced, shortened SHA-256 of the listed values: deterministic across runs and files
      candidates.add(when(anyPresent, concat(lit(preset + "-"),
          org.apache.spark.sql.functions.substring(sha2(concat_ws("\u001f", parts.toArray(new Column[0])), 256), 1, 32))
          .cast("variant")));
    }
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    Column v = null;
    for (Column c : candidates) {
      v = v == null ? when(present(c), c) : v.when(present(c), c);
    }
    return v == null ? lit(null).cast("variant") : v;
  }

  /** Step {@code step} of a field on its current value, or null when the field has no such step. */
  private Column step(int step, Field f, String target, Column v) {
    switch (step) {
      case 0 -> {
        if (f.split() == null) {
          return null;
        }
        Column first = trim(try_element_at(split(textOf(v), Pattern.quote(f.split())), lit(1)));
        return when(present(v).and(first.notEqual("")), first.cast("variant"));
      }
      case 1 -> {
        if (f.patterns().isEmpty()) {
          return null;
        }
        Column t = textOf(v);
        Column m = null;
        for (String[] p : f.patterns()) {
          Column hit = coalesce(t.rlike(p[0]), lit(false));
          m = m == null ? when(hit, literal(p[1])) : m.when(hit, literal(p[1]));
        }
        return f.others().equals("keep") ? coalesce(m, v) : m;
      }
      case 2 -> {
        if (f.map().isEmpty()) {
          return null;
        }
        Column k = lower(trim(textOf(v)));
        Column m = null;
        for (Map.Entry<String, Object> e : f.map().entrySet()) {
          m = m == null ? when(k.equalTo(e.getKey()), literal(e.getValue()))
              : m.when(k.equalTo(e.getKey()), literal(e.getValue()));
        }
        Column known = coalesce(k.isin(f.map().keySet().toArray()), lit(false));
        return switch (f.others()) {
          case "keep" -> when(known, m).otherwise(v);
          case "null" -> m;
          default -> when(known, m).when(present(v), literal(f.others()));
        };
      }
      case 3 -> {
        if (f.cases().isEmpty()) {
          return null;
        }
        Column m = null;
        for (Preset.Case c : f.cases()) {
          m = m == null ? when(conds(c.when()), literal(c.value())) : m.when(conds(c.when()), literal(c.value()));
        }
        return coalesce(m, v);
      }
      case 4 -> {
        return f.time() == null || f.time().equals("iso") ? null : time(v, f.time());
      }
      case 5 -> {
        if (f.format() == null) {
          return null;
        }
        Column parsed = try_to_timestamp(textOf(v), lit(f.format()));
        // a pattern with a zone gives an instant (kept with its offset); one without gives a local
        // time, passed on as such so ingest reads it in reporting.timezone
        boolean zoned = f.format().replaceAll("'[^']*'", "").matches(".*[XxZOVz].*");
        return when(parsed.isNotNull(), date_format(parsed, zoned ? ISO_OUT : LOCAL_OUT).cast("variant")).otherwise(v);
      }
      case 6 -> {
        return f.defaultValue() == null ? null : when(present(v), v).otherwise(literal(f.defaultValue()));
      }
      default -> {
        return typed(v, target);
      }
    }
  }

  /**
   * The JSON type docs/ingest.md wants for the target, where the vendor value converts cleanly (a numeric id
   * becomes its text; "true" a boolean; "4" the integer 4). Anything else stays as sent.
   */
  private static Column typed(Column v, String fieldName) {
    String target = fieldName.startsWith("properties.") ? fieldName.substring("properties.".length()) : fieldName;
    Column type = schema_of_variant(v);
    Column isScalar = type.isin("BIGINT", "DOUBLE", "BOOLEAN", "FLOAT").or(type.startsWith("DECIMAL"));
    return switch (target) {
      case "useful" -> {
        Column t = lower(trim(textOf(v)));
        yield when(type.equalTo("STRING").and(t.isin("true", "false")), t.equalTo("true").cast("variant")).otherwise(v);
      }
      case "score" -> when(type.equalTo("STRING").and(trim(textOf(v)).rlike("^-?[0-9]+$")),
          trim(textOf(v)).cast(DataTypes.LongType).cast("variant"))
          .when(type.isin("DOUBLE", "FLOAT").or(type.startsWith("DECIMAL"))
              .and(try_variant_get(v, "$", "double").equalTo(try_variant_get(v, "$", "bigint"))),
              try_variant_get(v, "$", "bigint").cast("variant"))
          .otherwise(v);
      case "revenue" -> when(type.equalTo("STRING").and(trim(textOf(v)).rlike("^-?[0-9]+(\\.[0-9]+)?$")),
          trim(textOf(v)).cast("decimal(38,6)").cast("variant")).otherwise(v);
      case "event_ts" -> v;
      default -> when(coalesce(isScalar, lit(false)), textOf(v).cast("variant")).otherwise(v);
    };
  }

  /** The vendor time as docs/ingest.md wants it: ISO-8601 with offset; a value that does not convert stays as sent. */
  private static Column time(Column v, String unit) {
    Column type = schema_of_variant(v);
    Column num = try_variant_get(v, "$", "decimal(38,6)");
    Column isNum = type.isin("BIGINT", "DOUBLE", "FLOAT").or(type.startsWith("DECIMAL"))
        .or(type.equalTo("STRING").and(trim(textOf(v)).rlike("^-?[0-9]+(\\.[0-9]+)?$")));
    Column micros = switch (unit) {
      case "s" -> num.multiply(1_000_000);
      case "ms", "auto" -> num.multiply(1000);
      case "us" -> num;
      case "s-or-ms" -> when(abs(num).geq(100_000_000_000L), num.multiply(1000)).otherwise(num.multiply(1_000_000));
      default -> lit(null).cast("decimal(38,6)");
    };
    Column iso = date_format(timestamp_micros(micros.cast(DataTypes.LongType)), ISO_OUT).cast("variant");
    Column numeric = unit.equals("auto") ? type.equalTo("BIGINT") : isNum;
    if (unit.equals("iso")) {
      return v;
    }
    return when(coalesce(numeric, lit(false)).and(num.isNotNull()), iso).otherwise(v);
  }

  /** A sortable instant for ordering items (conversation context), null when unknown. */
  private static Column orderTs(Column isoVariant) {
    Column t = textOf(isoVariant);
    return when(t.rlike(EventRecords.TS_PATTERN), t.try_cast(DataTypes.TimestampType))
        .when(t.rlike("^-?[0-9]{1,15}$"), org.apache.spark.sql.functions.timestamp_millis(t.cast(DataTypes.LongType)));
  }

  // ---- paths and conditions -------------------------------------------------------------

  private static final Pattern SELECT = Pattern.compile("^(.*?)\\[([^=\\]]+)=([^\\]]*)\\]$");

  /**
   * A path as a VARIANT column. Segments are separated by `.`; `name[3]` indexes an array;
   * `name[key=value]` picks the first element of an array whose `key` is `value` (GA4
   * event_params, Zendesk custom_fields). `^path` reads the enclosing record of an exploded
   * item; `@name` a conversation context column.
   */
  Column path(String p) {
    Column known = pathColumns.get(p);
    if (known == null) {
      known = mat(pathExpr(p));
      pathColumns.put(p, known);
    }
    return known;
  }

  private Column pathExpr(String p) {
    String s = p.trim();
    if (s.startsWith("@")) {
      return col("_at_" + s.substring(1)).cast("variant");
    }
    Column base = ITEM;
    if (s.startsWith("^")) {
      base = PARENT;
      s = s.substring(1);
    }
    if (s.equals("$") || s.isEmpty()) {
      return base;
    }
    StringBuilder vp = new StringBuilder("$");
    for (String seg : s.split("\\.")) {
      Matcher m = SELECT.matcher(seg);
      if (m.matches()) {
        appendName(vp, m.group(1));
        Column arr = try_variant_get(base, vp.toString(), "array<variant>");
        String k = m.group(2).trim();
        String want = m.group(3).trim();
        base = try_element_at(filter(arr, x -> coalesce(
            try_variant_get(x, variantPath(k), "string").equalTo(lit(want)), lit(false))), lit(1));
        vp = new StringBuilder("$");
        continue;
      }
      Matcher idx = Pattern.compile("^(.*?)\\[([0-9]+)\\]$").matcher(seg);
      if (idx.matches()) {
        appendName(vp, idx.group(1));
        vp.append('[').append(idx.group(2)).append(']');
      } else {
        appendName(vp, seg);
      }
    }
    return vp.length() == 1 ? base : try_variant_get(base, vp.toString(), "variant");
  }

  private static void appendName(StringBuilder vp, String name) {
    if (!name.isEmpty()) {
      vp.append("['").append(name.replace("'", "\\'")).append("']");
    }
  }

  private static String variantPath(String dotted) {
    StringBuilder vp = new StringBuilder("$");
    for (String seg : dotted.split("\\.")) {
      appendName(vp, seg);
    }
    return vp.toString();
  }

  /** Present: not absent, not JSON null, not a blank string (the reading of "missing" in docs/ingest.md). */
  static Column present(Column v) {
    Column t = schema_of_variant(v);
    return coalesce(v.isNotNull().and(t.notEqual("VOID"))
        .and(not(t.equalTo("STRING").and(trim(textOf(v)).equalTo("")))), lit(false));
  }

  private static Column not(Column c) {
    return org.apache.spark.sql.functions.not(coalesce(c, lit(false)));
  }

  private Column firstPresent(List<String> paths) {
    Column out = null;
    for (String p : paths) {
      Column v = path(p);
      out = out == null ? when(present(v), v) : out.when(present(v), v);
    }
    return out == null ? lit(null).cast("variant") : out;
  }

  private static Column textOf(Column v) {
    return try_variant_get(v, "$", "string");
  }

  private Column text(String p) {
    return textOf(path(p));
  }

  private static Column text(Column v) {
    return textOf(v);
  }

  /** All conditions hold (an empty list always holds); comparisons are trimmed and case-insensitive. */
  Column conds(List<Cond> cs) {
    Column all = lit(true);
    for (Cond c : cs) {
      Column v = path(c.path());
      Column t = lower(trim(textOf(v)));
      Column one = switch (c.op()) {
        case "=", "in" -> coalesce(t.isin(c.values().toArray()), lit(false));
        case "!=", "!in" -> not(coalesce(t.isin(c.values().toArray()), lit(false)));
        case "~" -> coalesce(textOf(v).rlike(c.values().get(0)), lit(false));
        case "exists" -> present(v);
        case "missing" -> not(present(v));
        default -> throw new IllegalStateException(c.op());
      };
      all = all.and(one);
    }
    return all;
  }

  private static Column strings(List<String> names) {
    List<Column> cs = new ArrayList<>();
    for (String n : names) {
      cs.add(lit(n));
    }
    return array(cs.toArray(new Column[0]));
  }

  private static Column literal(Object o) {
    if (o == null || "null".equals(o)) {
      return lit(null).cast("variant");
    }
    if (o instanceof Integer || o instanceof Long) {
      return lit(((Number) o).longValue()).cast("variant");
    }
    if (o instanceof Number n) {
      return lit(n.doubleValue()).cast("variant");
    }
    if (o instanceof Boolean b) {
      return lit(b).cast("variant");
    }
    return lit(String.valueOf(o)).cast("variant");
  }
}
