package dev.chatbotroi.ingest.preset;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.schema_of_variant;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.try_parse_json;
import static org.apache.spark.sql.functions.try_variant_get;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.ingest.LineReader;
import dev.chatbotroi.ingest.preset.Preset.Section;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** The items a preset maps, as `_item` with `_parent`, `_original`, `_empty` and `_idx`; grain: one row per item. */
final class Items {
  private Items() {}

  /**
   * One row per item: a parsed JSON record, or each element of its {@code explode} array (with the
   * record as `^` parent). Unparsed lines pass through with a null item (validation reports them).
   */
  static Dataset<Row> of(Dataset<Row> records, Section s) {
    // a line cut at the limit or not UTF-8 is reported as such, never mapped from what was kept of it
    Column rec = when(col(LineReader.LINE_ERROR).isNull(), try_parse_json(col(LineReader.RAW)));
    Dataset<Row> r = records.withColumn("_rec", rec)
        .withColumn("_rec", when(coalesce(schema_of_variant(col("_rec")).startsWith("OBJECT"), lit(false)),
            col("_rec")));
    Column arr = s.explode() == null ? lit(null).cast("array<variant>")
        : try_variant_get(col("_rec"), VariantPaths.variantPath(s.explode()), "array<variant>");
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

  /** One row per table row: the cells of the {@code wanted} columns as one VARIANT object. */
  static Dataset<Row> ofCells(Dataset<Row> rows, List<String> wanted) {
    List<Column> cells = new ArrayList<>();
    for (String w : wanted) {
      cells.add(col("`" + w.replace("`", "``") + "`").as(w));
    }
    Column obj = cells.isEmpty() ? lit(null).cast("variant")
        : org.apache.spark.sql.functions.to_variant_object(org.apache.spark.sql.functions.struct(cells.toArray(new Column[0])));
    return rows.select(col(LineReader.SOURCE_FILE), col(LineReader.LINE_NUMBER), col(LineReader.RAW),
        col(LineReader.FILE_ERROR), col(LineReader.LINE_ERROR),
        when(col(LineReader.RAW).isNotNull().and(col(LineReader.LINE_ERROR).isNull()), obj).as("_item"))
        .withColumn("_parent", lit(null).cast("variant"))
        .withColumn("_original", col(LineReader.RAW))
        .withColumn("_empty", lit(null).cast(DataTypes.StringType))
        .withColumn("_idx", lit(0));
  }
}
