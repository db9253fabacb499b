package dev.chatbotroi.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import dev.chatbotroi.common.Columns;
import dev.chatbotroi.common.TableSchema;
import dev.chatbotroi.common.Tables;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Stores the validated rows of a keyed input (CRM, help desk, spend): per key the last valid row of
 * the run wins and replaces the stored one (docs/ingest.md#de-duplication-and-incrementality);
 * grain: one input of one run.
 */
final class KeyedMerge {
  private KeyedMerge() {}

  /** What merging one input did: its rows read and quarantined, rows of failed files, its quarantine rows. */
  record Result(long read, long quarantined, long unreadable, Dataset<Row> quarantine) {}

  /**
   * Counts {@code rows} (validated, cached by the caller: they are read three times) and merges the
   * last valid row of each key, by (file path, line number), into {@code table}.
   */
  static Result latest(Tables tables, Dataset<Row> rows, String source, TableSchema table, List<String> key,
      String hashKey, String runId, Timestamp at) {
    long read = 0;
    long quarantined = 0;
    long unreadable = 0;
    for (Row r : rows.groupBy(col(EventRecords.REASON), col(LineReader.FILE_ERROR).isNotNull())
        .count().collectAsList()) {
      if (r.getBoolean(1)) {
        unreadable += r.getLong(2); // a file that failed part-way: one quarantine row, not a row read
      } else {
        read += r.getLong(2);
        quarantined += r.isNullAt(0) ? 0 : r.getLong(2);
      }
    }
    Dataset<Row> latest = rows
        .where(col(EventRecords.REASON).isNull().and(col(LineReader.RAW).isNotNull()))
        .withColumn("_rn", row_number().over(Window.partitionBy(Columns.of(key.toArray(new String[0])))
            .orderBy(col(LineReader.SOURCE_FILE).desc(), col(LineReader.LINE_NUMBER).desc())))
        .where(col("_rn").equalTo(1))
        .withColumn("run_id", lit(runId))
        .withColumn("ingested_at", lit(at));
    tables.upsert(table, latest, key);
    return new Result(read, quarantined, unreadable, IngestJob.quarantineRows(rows, source, hashKey, runId, at));
  }
}
