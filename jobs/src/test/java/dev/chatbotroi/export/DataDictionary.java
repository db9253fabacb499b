package dev.chatbotroi.export;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.chatbotroi.pipeline.OutputTables;
import dev.chatbotroi.metrics.ScoreboardWeeklyTable;
import dev.chatbotroi.common.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.StructField;

/**
 * The data dictionary of every exported table and column, in Markdown: names, types and keys come
 * from the schema classes and {@link PostgresLayout}, descriptions from {@code dictionary.conf}.
 * docs/data-dictionary.md is this output; a test fails when the two differ. Test code: only that
 * test runs it, so neither it nor dictionary.conf ships in the production jar.
 */
public final class DataDictionary {
  private DataDictionary() {}

  public static final String DOC = "docs/data-dictionary.md";

  public static String markdown() {
    Config d = ConfigFactory.parseResources(DataDictionary.class.getClassLoader(), "dictionary.conf")
        .getConfig("tables");
    List<String> problems = new ArrayList<>();
    StringBuilder b = new StringBuilder();
    b.append("# Data dictionary\n\n")
        .append("Every table that `export` writes (CSV, Parquet, PostgreSQL), column by column. Generated from the\n")
        .append("schema classes (`*Table.java`, which also declare each table's key, period and indexes), the\n")
        .append("PostgreSQL types (`export/PostgresLayout.java`) and the descriptions in `jobs/src/test/resources/dictionary.conf`;\n")
        .append("do not edit it by hand. `DataDictionaryTest` fails when it drifts; regenerate it with\n")
        .append("`mvn -pl jobs test -Dtest=DataDictionaryTest -Ddictionary.write=true`.\n\n")
        .append("Segment columns (`channel`, `flow`, `intent`, `page_type`, `touch_type`) hold `(all)` on the rows\n")
        .append("that aggregate over that column. Timestamps are UTC instants (`timestamptz` in PostgreSQL).\n\n");
    b.append("| table | grain | PostgreSQL primary key | period column |\n|---|---|---|---|\n");
    for (TableSchema t : OutputTables.EXPORTED) {
      TableSchema.Export layout = t.export();
      b.append("| [`").append(t.name()).append("`](#").append(t.name()).append(") | ")
          .append(describe(d, t.name(), "grain", problems)).append(" | ")
          .append(layout.key().isEmpty() ? "(none: a log)" : "`" + String.join("`, `", layout.key()) + "`")
          .append(" | ").append(layout.periodColumn() == null ? "(none: replaced whole)" : "`" + layout.periodColumn() + "`")
          .append(" |\n");
    }
    for (TableSchema t : OutputTables.EXPORTED) {
      TableSchema.Export layout = t.export();
      String grain = describe(d, t.name(), "grain", problems);
      b.append("\n## ").append(t.name()).append("\n\n")
          .append(grain.isEmpty() ? "" : Character.toUpperCase(grain.charAt(0)) + grain.substring(1)).append(".");
      if (t.equals(ScoreboardWeeklyTable.TABLE)) {
        b.append(" One value, `_band` and `_last_week` column per headline metric: `")
            .append(String.join("`, `", ScoreboardWeeklyTable.HEADLINE)).append("`.");
      }
      if (!t.partitionBy().isEmpty()) {
        b.append(" Delta table partitioned by `").append(String.join("`, `", t.partitionBy())).append("`.");
      }
      b.append("\n\n| column | Spark type | PostgreSQL type | key | description |\n|---|---|---|---|---|\n");
      Config cols = d.hasPath(t.name() + ".columns") ? d.getConfig(t.name() + ".columns") : ConfigFactory.empty();
      for (StructField f : t.schema().fields()) {
        b.append("| `").append(f.name()).append("` | ").append(f.dataType().simpleString()).append(" | ")
            .append(PostgresLayout.pgType(f.dataType())).append(" | ")
            .append(layout.key().contains(f.name()) ? "PK" : "").append(" | ")
            .append(columnText(cols, t.name(), f.name(), problems)).append(" |\n");
      }
      for (String described : cols.root().keySet()) {
        boolean wildcard = described.contains("*");
        if (!wildcard && !List.of(t.columns()).contains(described)) {
          problems.add(t.name() + "." + described + " is described but is not a column");
        }
      }
    }
    b.append("\n## PostgreSQL views\n\n| view | what it holds |\n|---|---|\n");
    for (PostgresLayout.View v : PostgresLayout.views("s")) {
      b.append("| `").append(v.name()).append("` | ").append(v.purpose()).append(" |\n");
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("dictionary.conf is out of step with the schemas: " + problems);
    }
    return b.toString();
  }

  private static String describe(Config d, String table, String key, List<String> problems) {
    String path = table + "." + key;
    if (!d.hasPath(path)) {
      problems.add(path + " has no description");
      return "";
    }
    return d.getString(path);
  }

  /** A column's own description, or the wildcard one of a generated column family (scoreboard_weekly). */
  private static String columnText(Config cols, String table, String column, List<String> problems) {
    if (cols.root().containsKey(column)) {
      return cols.root().get(column).unwrapped().toString();
    }
    for (String suffix : List.of("_band", "_last_week")) {
      if (column.endsWith(suffix) && cols.root().containsKey("*" + suffix)) {
        return cols.root().get("*" + suffix).unwrapped().toString();
      }
    }
    if (cols.root().containsKey("*")) {
      return cols.root().get("*").unwrapped().toString();
    }
    problems.add(table + "." + column + " has no description");
    return "";
  }
}
