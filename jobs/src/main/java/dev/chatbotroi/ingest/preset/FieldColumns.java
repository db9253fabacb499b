package dev.chatbotroi.ingest.preset;

import static dev.chatbotroi.ingest.preset.VariantValues.literal;
import static dev.chatbotroi.ingest.preset.VariantValues.present;
import static dev.chatbotroi.ingest.preset.VariantValues.textOf;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.ingest.preset.Preset.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A preset's output fields as VARIANT columns, each computed once, step by step; grain: one row per item. */
abstract class FieldColumns extends MappingFrame {
  private final Map<Field, Column> fieldColumns = new java.util.IdentityHashMap<>();

  FieldColumns(Dataset<Row> d) {
    super(d);
  }

  Column fieldOrNull(Field f, String target, String preset) {
    return f == null ? lit(null).cast("variant") : field(f, target, preset);
  }

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
  static boolean usesContext(Field f) {
    List<String> paths = new ArrayList<>(pathsOf(f));
    f.cases().forEach(c -> c.when().forEach(w -> paths.add(w.path())));
    return paths.stream().anyMatch(p -> p.trim().startsWith("@"));
  }

  /**
   * Computes the given fields step by step, all fields' same step in one projection: paths,
   * candidates (literal, paths, concatenation, hash; the first present wins), split, URL
   * patterns, value map, cases, time, format, default, then the JSON type docs/ingest.md gives the target.
   */
  void fields(Map<String, Field> all, String preset) {
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
    for (FieldStep step : FieldStep.values()) {
      for (Map.Entry<String, Field> e : todo.entrySet()) {
        Column next = step.next(e.getValue(), e.getKey(), v.get(e.getKey()), this);
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

  /** Every path a field reads for its value: its paths, then its hash and concat parts. */
  static List<String> pathsOf(Field f) {
    List<String> out = new ArrayList<>(f.paths());
    if (f.hash() != null) {
      out.addAll(f.hash());
    }
    if (f.concat() != null) {
      out.addAll(f.concat());
    }
    return out;
  }
}
