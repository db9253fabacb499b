package dev.chatbotroi.ingest;

import java.time.ZoneOffset;
import java.util.Iterator;
import dev.chatbotroi.common.Pii;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.types.variant.Variant;
import org.apache.spark.types.variant.VariantBuilder;
import org.apache.spark.types.variant.VariantUtil;

/**
 * Reads, per event line, the JSON facts the rules of docs/ingest.md look at: whether the line is a JSON object,
 * and for each path its JSON type and (for strings) its text; one output row per input row.
 *
 * <p>Why not the built-ins: {@code try_parse_json} plus one {@code variant_get} and one
 * {@code schema_of_variant} per path is 60 variant look-ups a line in one fused method too large
 * for the JIT, and cost ~10× a plain JSON scan (docs/benchmarks.md). This walks the same
 * {@link Variant} Spark builds, with the same parser and settings, once per line, so the types and
 * texts are exactly what those built-ins return. The rules themselves stay Column expressions.
 */
final class JsonFields {
  private JsonFields() {}

  static final String OBJECT = "_object";
  static final String EPOCH = "_epoch";
  static final String SCORE = "_score";
  static final String USEFUL = "_useful";
  static final String PROPERTIES_JSON = "_properties_json";

  /** The type column of a path: STRING, BIGINT, DECIMAL, DOUBLE, BOOLEAN, OBJECT, ARRAY, VOID (JSON null); null when absent. */
  static String typeColumn(String key) {
    return "_t_" + key;
  }

  /** The text column of a path: its value when it is a JSON string, else null. */
  static String textColumn(String key) {
    return "_s_" + key;
  }

  /**
   * {@code lines} plus the fact columns, for the paths given as {@code $.field} or
   * {@code $.properties.field}. Duplicate-key and Unicode handling follow the session's variant
   * settings, read here on the driver, as {@code try_parse_json} would. Every string read has its
   * e-mail addresses replaced by their hash ({@link Pii#scrub}), here in the one pass, except the
   * paths whose key is in {@code unscrubbed} (an `email` field is hashed whole by its reader).
   */
  static Dataset<Row> extract(Dataset<Row> lines, String rawColumn, List<String> paths, List<String> keys,
      String hashKey, Set<String> unscrubbed) {
    var conf = lines.sparkSession().conf();
    boolean allowDuplicates = Boolean.parseBoolean(conf.get(SQLConf.VARIANT_ALLOW_DUPLICATE_KEYS().key()));
    boolean validateUnicode = Boolean.parseBoolean(conf.get(SQLConf.VARIANT_VALIDATE_UNICODE_IN_JSON_PARSING().key()));
    StructType schema = lines.schema()
        .add(OBJECT, DataTypes.BooleanType, false);
    for (String k : keys) {
      schema = schema.add(typeColumn(k), DataTypes.StringType).add(textColumn(k), DataTypes.StringType);
    }
    schema = schema.add(EPOCH, DataTypes.LongType).add(SCORE, DataTypes.LongType)
        .add(USEFUL, DataTypes.BooleanType).add(PROPERTIES_JSON, DataTypes.StringType);
    int raw = lines.schema().fieldIndex(rawColumn);
    int width = lines.schema().size();
    String[][] split = new String[paths.size()][];
    boolean[] scrubbed = new boolean[paths.size()];
    for (int i = 0; i < paths.size(); i++) {
      split[i] = paths.get(i).substring(2).split("\\.");
      scrubbed[i] = !unscrubbed.contains(keys.get(i));
    }
    MapPartitionsFunction<Row, Row> f = rows -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row in = rows.next();
        Object[] out = new Object[width + 1 + 2 * split.length + 4];
        for (int i = 0; i < width; i++) {
          out[i] = in.get(i);
        }
        Variant root = in.isNullAt(raw) ? null : parse(in.getString(raw), allowDuplicates, validateUnicode);
        boolean object = root != null && root.getType() == VariantUtil.Type.OBJECT;
        out[width] = object;
        if (!object) {
          return RowFactory.create(out);
        }
        Variant given = root.getFieldByKey("properties");
        Variant props = given != null && given.getType() == VariantUtil.Type.OBJECT ? given : null;
        int at = width + 1;
        Variant ts = null;
        Variant score = null;
        Variant useful = null;
        for (int p = 0; p < split.length; p++) {
          String[] path = split[p];
          Variant v = path.length == 1 ? root.getFieldByKey(path[0])
              : props == null ? null : props.getFieldByKey(path[1]);
          out[at++] = v == null ? null : typeName(v.getType());
          String s = v != null && v.getType() == VariantUtil.Type.STRING ? v.getString() : null;
          out[at++] = scrubbed[p] ? Pii.scrub(hashKey, s) : s;
          if (path.length == 1 && path[0].equals("event_ts")) {
            ts = v;
          } else if (path.length == 2 && path[1].equals("score")) {
            score = v;
          } else if (path.length == 2 && path[1].equals("useful")) {
            useful = v;
          }
        }
        // only these types are read by the rules: BIGINT for epoch and score, BOOLEAN for useful
        out[at++] = ts != null && ts.getType() == VariantUtil.Type.LONG ? ts.getLong() : null;
        out[at++] = score != null && score.getType() == VariantUtil.Type.LONG ? score.getLong() : null;
        out[at++] = useful != null && useful.getType() == VariantUtil.Type.BOOLEAN ? useful.getBoolean() : null;
        out[at] = given == null ? null : Pii.scrub(hashKey, given.toJson(ZoneOffset.UTC));
        return RowFactory.create(out);
      }
    };
    return lines.mapPartitions(f, Encoders.row(schema));
  }

  /** As try_parse_json: null for anything that is not one JSON value. */
  private static Variant parse(String json, boolean allowDuplicates, boolean validateUnicode) {
    try {
      return VariantBuilder.parseJson(json, allowDuplicates, validateUnicode);
    } catch (Exception e) {
      return null; // malformed_json: the rules report it, the line goes to quarantine
    }
  }

  /** schema_of_variant's name for a value's type, without the element types of objects and arrays. */
  private static String typeName(VariantUtil.Type t) {
    return switch (t) {
      case NULL -> "VOID";
      case LONG -> "BIGINT";
      default -> t.name();
    };
  }
}
