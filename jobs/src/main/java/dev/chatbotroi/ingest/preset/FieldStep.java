package dev.chatbotroi.ingest.preset;

import static dev.chatbotroi.ingest.preset.VariantValues.literal;
import static dev.chatbotroi.ingest.preset.VariantValues.present;
import static dev.chatbotroi.ingest.preset.VariantValues.textOf;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.schema_of_variant;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.try_variant_get;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.ingest.preset.Preset.Field;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/** The steps of a preset field after its candidates, in the order they run; grain: one field value. */
enum FieldStep {
  /** `split`: the first trimmed, non-empty part. */
  SPLIT {
    @Override
    Column next(Field f, String target, Column v, MappingFrame frame) {
      if (f.split() == null) {
        return null;
      }
      Column first = trim(try_element_at(split(textOf(v), Pattern.quote(f.split())), lit(1)));
      return when(present(v).and(first.notEqual("")), first.cast("variant"));
    }
  },
  /** `patterns`: the value of the first regex that matches. */
  PATTERNS {
    @Override
    Column next(Field f, String target, Column v, MappingFrame frame) {
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
  },
  /** `map`: a value map, matched trimmed and case-insensitive. */
  MAP {
    @Override
    Column next(Field f, String target, Column v, MappingFrame frame) {
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
  },
  /** `cases`: the literal of the first case whose conditions hold. */
  CASES {
    @Override
    Column next(Field f, String target, Column v, MappingFrame frame) {
      if (f.cases().isEmpty()) {
        return null;
      }
      Column m = null;
      for (Preset.Case c : f.cases()) {
        m = m == null ? when(frame.conds(c.when()), literal(c.value())) : m.when(frame.conds(c.when()), literal(c.value()));
      }
      return coalesce(m, v);
    }
  },
  /** `time`: a numeric vendor time as ISO-8601. */
  TIME {
    @Override
    Column next(Field f, String target, Column v, MappingFrame frame) {
      return f.time() == null || f.time().equals("iso") ? null : time(v, f.time());
    }
  },
  /** `format`: a vendor time pattern read into ISO-8601. */
  FORMAT {
    @Override
    Column next(Field f, String target, Column v, MappingFrame frame) {
      if (f.format() == null) {
        return null;
      }
      Column parsed = try_to_timestamp(textOf(v), lit(f.format()));
      // a pattern with a zone gives an instant (kept with its offset); one without gives a local
      // time, passed on as such so ingest reads it in reporting.timezone
      boolean zoned = f.format().replaceAll("'[^']*'", "").matches(".*[XxZOVz].*");
      return when(parsed.isNotNull(), date_format(parsed, zoned ? ISO_OUT : LOCAL_OUT).cast("variant")).otherwise(v);
    }
  },
  /** `default`: the value when nothing present came before. */
  DEFAULT {
    @Override
    Column next(Field f, String target, Column v, MappingFrame frame) {
      return f.defaultValue() == null ? null : when(present(v), v).otherwise(literal(f.defaultValue()));
    }
  },
  /** The JSON type of the target, on every field. */
  TYPED {
    @Override
    Column next(Field f, String target, Column v, MappingFrame frame) {
      return typed(v, target);
    }
  };

  private static final String ISO_OUT = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX";
  private static final String LOCAL_OUT = "yyyy-MM-dd HH:mm:ss";

  /** This step of a field on its current value {@code v}, or null when the field has no such step. */
  abstract Column next(Field f, String target, Column v, MappingFrame frame);

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
}
