package dev.chatbotroi.common;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The operation metrics of one tagged Delta commit, found in the table's history; grain: one commit. */
final class CommitMetrics {
  private CommitMetrics() {}

  /**
   * The sum of {@code metricNames} of the commit whose userMetadata is {@code tag}, 0 when there is
   * none (Delta made no commit). The latest 20 commits are searched first, then the whole history:
   * other runs may have committed after ours.
   */
  static long sum(SparkSession spark, String path, String tag, String... metricNames) {
    DeltaTable delta = DeltaTable.forPath(spark, path);
    for (int depth : new int[] {20, Integer.MAX_VALUE}) {
      Dataset<Row> history = depth == Integer.MAX_VALUE ? delta.history() : delta.history(depth);
      List<Row> mine = history.where(col("userMetadata").equalTo(tag)).select("operationMetrics").collectAsList();
      if (!mine.isEmpty()) {
        scala.collection.Map<String, String> metrics = mine.get(0).getMap(0);
        long sum = 0;
        for (String m : metricNames) {
          sum += Long.parseLong(metrics.get(m).getOrElse(() -> "0"));
        }
        return sum;
      }
      if (history.count() < depth) {
        break; // the whole history was read
      }
    }
    return 0;
  }
}
