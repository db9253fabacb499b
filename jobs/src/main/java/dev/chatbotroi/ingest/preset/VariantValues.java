package dev.chatbotroi.ingest.preset;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.schema_of_variant;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_variant_get;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;

/** Column helpers over the VARIANT values a preset reads and writes; grain: one expression. */
final class VariantValues {
  private VariantValues() {}

  /** Present: not absent, not JSON null, not a blank string (the reading of "missing" in docs/ingest.md). */
  static Column present(Column v) {
    Column t = schema_of_variant(v);
    return coalesce(v.isNotNull().and(t.notEqual("VOID"))
        .and(not(t.equalTo("STRING").and(trim(textOf(v)).equalTo("")))), lit(false));
  }

  static Column not(Column c) {
    return org.apache.spark.sql.functions.not(coalesce(c, lit(false)));
  }

  static Column textOf(Column v) {
    return try_variant_get(v, "$", "string");
  }

  static Column strings(List<String> names) {
    List<Column> cs = new ArrayList<>();
    for (String n : names) {
      cs.add(lit(n));
    }
    return array(cs.toArray(new Column[0]));
  }

  static Column literal(Object o) {
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
