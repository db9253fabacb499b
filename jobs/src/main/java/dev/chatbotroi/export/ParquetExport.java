package dev.chatbotroi.export;

import dev.chatbotroi.common.TableSchema;
import dev.chatbotroi.common.Tables;
import java.util.ArrayList;
import java.util.List;

/** Writes each existing output table as a plain Parquet snapshot folder `<out>/<table>/` (for DuckDB, BigQuery loads, pandas). */
public final class ParquetExport {
  private ParquetExport() {}

  public static List<String> write(Tables tables, List<TableSchema> candidates, String out) {
    List<String> written = new ArrayList<>();
    for (TableSchema t : tables.existing(candidates)) {
      String target = out + "/" + t.name();
      // one file per table: gold tables are small, and one file is what BI loaders handle best
      tables.read(t).coalesce(1).write().mode("overwrite").parquet(target);
      written.add(target);
    }
    return written;
  }
}
