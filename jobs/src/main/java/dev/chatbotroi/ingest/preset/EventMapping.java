package dev.chatbotroi.ingest.preset;

import static dev.chatbotroi.ingest.preset.VariantValues.not;
import static dev.chatbotroi.ingest.preset.VariantValues.present;
import static dev.chatbotroi.ingest.preset.VariantValues.strings;
import static dev.chatbotroi.ingest.preset.VariantValues.textOf;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.named_struct;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.ingest.EventRecords;
import dev.chatbotroi.ingest.LineReader;
import dev.chatbotroi.ingest.preset.Preset.Field;
import dev.chatbotroi.ingest.preset.Preset.Rule;
import dev.chatbotroi.ingest.preset.Preset.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** An events preset applied to event records; grain: one row per emitted event, skipped or unmappable item, unparsed record. */
final class EventMapping extends FieldColumns {
  private EventMapping(Dataset<Row> d) {
    super(d);
  }

  /** See {@link PresetMapper#events}. */
  static Dataset<Row> map(Dataset<Row> records, Preset preset) {
    return new EventMapping(Items.of(records, preset.events())).mapEvents(preset);
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
    d = flush().withColumn("_ts_v", tsField).withColumn("_ts_order", ConversationContext.orderTs(col("_ts_v")));
    if (s.conversation() != null) {
      ConversationContext.add(this, s.conversation());
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

    Column none = lit(null).cast(DataTypes.StringType);
    Column[] decided = rules(s, preset.name(), ruleConds);
    Column emit = decided[0];
    Column skip = decided[1];
    Column unmap = decided[2];

    // `require`: the paths that make a record one of this format, checked before the rules;
    // a field's `required`: checked on items the rules did not skip
    Column requireMissing = null;
    for (String p : s.require()) {
      Column detail = lit(preset.name() + ": missing " + p);
      Column absent = not(present(path(p)));
      requireMissing = requireMissing == null ? when(absent, detail) : requireMissing.when(absent, detail);
    }
    Column fieldMissing = null;
    for (Map.Entry<String, Field> f : s.fields().entrySet()) {
      if (f.getValue().required()) {
        Column absent = not(present(field(f.getValue(), f.getKey(), preset.name())));
        Column detail = lit(preset.name() + ": missing " + String.join(" | ", pathsOf(f.getValue())));
        fieldMissing = fieldMissing == null ? when(absent, detail) : fieldMissing.when(absent, detail);
      }
    }
    Column envelope = envelope(s, preset.name());

    Dataset<Row> rows = flush()
        .withColumn("_emit", emit)
        .withColumn("_skip", skip)
        .withColumn("_unmap", coalesce(col("_empty"), requireMissing == null ? none : requireMissing, unmap))
        .withColumn("_skip", when(col("_unmap").isNull(), col("_skip")))
        .withColumn("_unmap", when(col("_skip").isNull(),
            coalesce(col("_unmap"), fieldMissing == null ? none : fieldMissing)));
    // a line that is not a JSON object is left to validation (malformed_json); an array element
    // that is not an object cannot be mapped
    Column passthrough = col("_item").isNull().and(not(col("_exploding")));
    Column badElement = col("_item").isNull().and(col("_exploding"));
    rows = rows
        .withColumn("_skip", when(passthrough.or(badElement), none).otherwise(col("_skip")))
        .withColumn("_unmap", when(passthrough, none)
            .when(badElement, lit(preset.name() + ": an element of " + s.explode() + " is not an object"))
            .otherwise(col("_unmap")));
    Column mapped = col("_unmap").isNull().and(col("_skip").isNull()).and(not(passthrough));
    Dataset<Row> exploded = rows
        .select(col("*"), posexplode(when(mapped, col("_emit"))
            .otherwise(array(lit(null).cast(DataTypes.StringType)))).as(new String[] {"_pos", "_name"}));
    return exploded.select(
        col(LineReader.SOURCE_FILE), col(LineReader.LINE_NUMBER),
        when(mapped, to_json(envelope)).otherwise(col("_original"))
            .as(LineReader.RAW),
        col(LineReader.FILE_ERROR), col(LineReader.LINE_ERROR),
        col("_original").as(PresetMapper.ORIGINAL),
        col("_unmap").as(PresetMapper.UNMAPPABLE),
        col("_skip").as(PresetMapper.SKIPPED));
  }

  /**
   * The rules: the first match decides between emit, skip and unmappable; returns {emit, skip,
   * unmappable}. {@code ruleConds} are the rules' materialised conditions.
   */
  private Column[] rules(Section s, String name, List<Column> ruleConds) {
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
        sk = r.skipBy() == null ? lit(name + ": " + r.skip())
            : concat(lit(name + ": " + r.skip() + " "), coalesce(text(r.skipBy()), lit("(none)")));
      } else if (r.unmappable() != null) {
        un = lit(name + ": " + r.unmappable());
      } else if (r.emit() != null) {
        e = strings(r.emit());
      } else {
        Column vendorName = text(r.mapFrom());
        Column key = lower(trim(vendorName));
        Column mapped = null;
        for (Map.Entry<String, List<String>> n : r.names().entrySet()) {
          mapped = mapped == null ? when(key.equalTo(n.getKey()), strings(n.getValue()))
              : mapped.when(key.equalTo(n.getKey()), strings(n.getValue()));
        }
        Column matched = mapped == null ? lit(null).cast("array<string>") : mapped;
        Column unmatched = matched.isNull();
        Column label = concat(lit(name + ": unmapped " + r.mapFrom() + " '"),
            coalesce(vendorName, lit("(none)")), lit("'"));
        if (r.others().equals("keep")) {
          e = coalesce(matched, when(vendorName.isNotNull(), array(trim(vendorName))));
          un = when(vendorName.isNull(), lit(name + ": missing " + r.mapFrom()));
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
    Column noRule = not(anyRule);
    String fallbackLabel = name + ": no rule matches";
    if (s.otherwise().equals("skip")) {
      skip = when(noRule, lit(fallbackLabel)).otherwise(skip);
    } else {
      unmap = when(noRule, lit(fallbackLabel)).otherwise(unmap);
    }
    // a name mapped to an empty list emits nothing: counted as skipped, never lost
    skip = coalesce(skip, when(size(emit).equalTo(0), lit(name + ": mapped to no event")));
    return new Column[] {emit, skip, unmap};
  }

  /**
   * The envelope: every mapped field as a VARIANT, so a wrong vendor type stays wrong and the
   * the ingest rules (bad_property, bad_timestamp) report it instead of a silent cast.
   */
  private Column envelope(Section s, String name) {
    List<Column> envelope = new ArrayList<>();
    Column baseId = field(s.fields().get("event_id"), "event_id", name);
    envelope.add(lit("event_id"));
    envelope.add(when(col("_pos").equalTo(0), baseId)
        .otherwise(concat(textOf(baseId), lit(":"), col("_name")).cast("variant")));
    envelope.add(lit("event_name"));
    envelope.add(col("_name").cast("variant"));
    envelope.add(lit("event_ts"));
    envelope.add(col("_ts_v"));
    for (String f : Preset.EVENT_FIELDS) {
      if (f.equals("event_id") || f.equals("event_ts")) {
        continue;
      }
      envelope.add(lit(f));
      envelope.add(fieldOrNull(s.fields().get(f), f, name));
    }
    // a property goes only on the events docs/ingest.md gives it (reason on bot_fallback / bot_handoff_human,
    // goal on bot_goal_completed, …), so one mapping serves every event a record emits
    List<Column> props = new ArrayList<>();
    for (String p : Preset.EVENT_PROPERTIES) {
      List<String> on = EventRecords.eventsCarrying(p);
      props.add(lit(p));
      props.add(when(col("_name").isin(on.toArray()), fieldOrNull(s.fields().get("properties." + p), p, name)));
    }
    envelope.add(lit("properties"));
    envelope.add(named_struct(props.toArray(new Column[0])));
    return named_struct(envelope.toArray(new Column[0]));
  }
}
