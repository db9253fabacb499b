package dev.chatbotroi.ingest.preset;

import static dev.chatbotroi.ingest.preset.VariantValues.not;
import static dev.chatbotroi.ingest.preset.VariantValues.present;
import static dev.chatbotroi.ingest.preset.VariantValues.textOf;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.ingest.preset.Preset.Cond;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The rows a mapping builds, each path and step materialised once as a column; grain: one row per item. */
abstract class MappingFrame {
  /** The rows being built: every path and every step of a field is materialised once as a column. */
  Dataset<Row> d;
  private int counter;
  private final Map<String, Column> pending = new java.util.LinkedHashMap<>();
  private final Map<String, Column> pathColumns = new java.util.HashMap<>();

  MappingFrame(Dataset<Row> d) {
    this.d = d;
  }

  /**
   * Adds {@code c} as a column and returns a reference to it. Mapping expressions reuse paths and
   * steps many times; inlined, Spark's generated code would pass the JVM's 64 KB method limit.
   */
  Column mat(Column c) {
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
  Dataset<Row> flush() {
    if (!pending.isEmpty()) {
      d = d.withColumns(new java.util.LinkedHashMap<>(pending));
      pending.clear();
    }
    return d;
  }

  /** {@link VariantPaths#pathExpr}, materialised the first time a path is read. */
  Column path(String p) {
    Column known = pathColumns.get(p);
    if (known == null) {
      known = mat(VariantPaths.pathExpr(p));
      pathColumns.put(p, known);
    }
    return known;
  }

  Column firstPresent(List<String> paths) {
    Column out = null;
    for (String p : paths) {
      Column v = path(p);
      out = out == null ? when(present(v), v) : out.when(present(v), v);
    }
    return out == null ? lit(null).cast("variant") : out;
  }

  Column text(String p) {
    return textOf(path(p));
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
}
