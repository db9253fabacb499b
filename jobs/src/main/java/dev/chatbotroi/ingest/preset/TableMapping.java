package dev.chatbotroi.ingest.preset;

import static dev.chatbotroi.ingest.preset.VariantValues.not;
import static dev.chatbotroi.ingest.preset.VariantValues.present;
import static dev.chatbotroi.ingest.preset.VariantValues.textOf;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.ingest.LineReader;
import dev.chatbotroi.ingest.preset.Preset.Field;
import dev.chatbotroi.ingest.preset.Preset.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** A CRM / help-desk preset section applied to table rows or JSON records; grain: one output row per item. */
final class TableMapping extends FieldColumns {
  private TableMapping(Dataset<Row> d) {
    super(d);
  }

  /** See {@link PresetMapper#table}. */
  static Dataset<Row> map(Dataset<Row> rows, boolean csv, Section s, List<String> targets, String presetName,
      List<String> wanted) {
    Dataset<Row> items = csv ? Items.ofCells(rows, wanted) : Items.of(rows, s);
    return new TableMapping(items).mapTable(s, targets, presetName);
  }

  private Dataset<Row> mapTable(Section s, List<String> targets, String presetName) {
    fields(s.fields(), presetName);
    s.require().forEach(this::path);
    flush();
    Column missingPath = null;
    for (String p : s.require()) {
      Column d = lit(presetName + ": missing " + p);
      missingPath = missingPath == null ? when(not(present(path(p))), d)
          : missingPath.when(not(present(path(p))), d);
    }
    for (Map.Entry<String, Field> f : s.fields().entrySet()) {
      if (f.getValue().required()) {
        Column absent = not(present(field(f.getValue(), f.getKey(), presetName)));
        Column d = lit(presetName + ": missing " + String.join(" | ", pathsOf(f.getValue())));
        missingPath = missingPath == null ? when(absent, d) : missingPath.when(absent, d);
      }
    }
    Column notParsed = col("_item").isNull();
    List<Column> out = new ArrayList<>(List.of(col(LineReader.SOURCE_FILE), col(LineReader.LINE_NUMBER),
        col("_original").as(LineReader.RAW), col(LineReader.FILE_ERROR), col(LineReader.LINE_ERROR)));
    Column unmap = coalesce(col("_empty"), missingPath == null ? lit(null).cast(DataTypes.StringType) : missingPath);
    out.add(when(notParsed.and(col(LineReader.RAW).isNotNull()).and(col(LineReader.LINE_ERROR).isNull()),
        lit(presetName + ": not a JSON object")).otherwise(unmap).as(PresetMapper.UNMAPPABLE));
    for (String t : targets) {
      Field f = s.fields().get(t);
      out.add((f == null ? lit(null).cast(DataTypes.StringType) : textOf(field(f, t, presetName))).as(t));
    }
    return flush().select(out.toArray(new Column[0]));
  }

  /** The lower-cased first segment of every path a table section reads: the CSV columns to keep. */
  static List<String> columnsRead(Section s) {
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
}
