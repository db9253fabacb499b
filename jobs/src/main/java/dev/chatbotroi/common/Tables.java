package dev.chatbotroi.common;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The one seam for warehouse I/O: table paths, reads, appends, merges and replaceWhere. Every commit
 * it makes carries a tag in Delta's `userMetadata` (the run id and a sequence number), so row counts
 * are read from this write's own commit even when another run commits to the table meanwhile.
 */
public final class Tables {
  private final SparkSession spark;
  private final String warehouse;
  private final String runId;
  private final AtomicLong writes = new AtomicLong();

  public Tables(SparkSession spark, String warehouse) {
    this(spark, warehouse, null);
  }

  private Tables(SparkSession spark, String warehouse, String runId) {
    this.spark = spark;
    this.warehouse = warehouse; // TableSchema.pathIn allows a trailing slash
    this.runId = runId;
  }

  /** The same warehouse, its commits tagged with {@code runId} (shown by DESCRIBE HISTORY). */
  public Tables forRun(String runId) {
    return new Tables(spark, warehouse, runId);
  }

  /** A tag no other commit has: the run, and this write's number within it. */
  private String nextTag() {
    return (runId == null ? "chatbot-roi-" + UUID.randomUUID() : runId) + "#" + writes.incrementAndGet();
  }

  /**
   * Marks the start of a write of {@code table}: a fault point for crash tests, and the Spark job
   * description, so the jobs of the write are named on the Spark UI (the stage's job group stays).
   */
  private void writing(TableSchema table) {
    Faults.point("write:" + table.name());
    spark.sparkContext().setJobDescription("write " + table.name());
  }

  /**
   * Runs a DeltaTable operation (MERGE, DELETE) with its commit tagged, as writers tag theirs by
   * option. Those operations take the tag from a session setting, which every thread of the session
   * shares: they run one at a time per session, so two runs in one JVM never swap their tags.
   */
  private void tagged(String tag, Runnable operation) {
    // a lock of our own: Spark's threads lock the session object itself (its lazy fields), so
    // holding that monitor through a query deadlocks the query
    synchronized (TAGGED) {
      SessionConf.with(spark, Map.of(COMMIT_TAG_CONF, tag), () -> {
        operation.run();
        return null;
      });
    }
  }

  private static final Object TAGGED = new Object();

  private static final String COMMIT_TAG_CONF = "spark.databricks.delta.commitInfo.userMetadata";

  public SparkSession spark() {
    return spark;
  }

  public String path(TableSchema table) {
    return table.pathIn(warehouse);
  }

  public boolean exists(TableSchema table) {
    return DeltaTable.isDeltaTable(spark, path(table));
  }

  /** The table's rows in schema order, or an empty frame of its schema when it does not exist yet. */
  public Dataset<Row> read(TableSchema table) {
    if (!exists(table)) {
      return spark.createDataFrame(new ArrayList<Row>(), table.schema());
    }
    Dataset<Row> stored = spark.read().format("delta").load(path(table));
    List<String> present = java.util.Arrays.asList(stored.columns());
    Column[] cols = new Column[table.columns().length];
    int i = 0;
    for (var f : table.schema().fields()) {
      // a column added after the table was written (job_runs.late_events) reads as null
      cols[i++] = present.contains(f.name()) ? col(f.name())
          : org.apache.spark.sql.functions.lit(null).cast(f.dataType()).as(f.name());
    }
    return stored.select(cols);
  }

  /** Appends rows, adding columns the stored table lacks (a table written by an older version). */
  public void appendEvolving(TableSchema table, Dataset<Row> rows) {
    try {
      writing(table);
      conform(table, rows).write().format("delta").mode("append").option("mergeSchema", "true")
          .partitionBy(table.partitionBy().toArray(new String[0]))
          .save(path(table));
    } catch (RuntimeException e) {
      throw conflict(table, e);
    }
  }

  /** Appends rows (columns are selected by name, in schema order). */
  public void append(TableSchema table, Dataset<Row> rows) {
    append(table, rows, nextTag());
  }

  private void append(TableSchema table, Dataset<Row> rows, String tag) {
    append(table, rows, tag, false);
  }

  private void append(TableSchema table, Dataset<Row> rows, String tag, boolean evolving) {
    try {
      writing(table);
      appendQuietly(table, rows, tag, evolving);
    } catch (RuntimeException e) {
      throw conflict(table, e);
    }
  }

  private void appendQuietly(TableSchema table, Dataset<Row> rows, String tag) {
    appendQuietly(table, rows, tag, false);
  }

  private void appendQuietly(TableSchema table, Dataset<Row> rows, String tag, boolean evolving) {
    var writer = byPartition(table, conform(table, rows)).write().format("delta").mode("append")
        .option("userMetadata", tag);
    if (evolving) {
      writer = writer.option("mergeSchema", "true");
    }
    writer.partitionBy(table.partitionBy().toArray(new String[0])).save(path(table));
  }

  /**
   * Appends rows and returns how many were written, from the Delta commit's own metrics, so the
   * caller need not count (and so compute) the rows twice.
   */
  public long appendCounted(TableSchema table, Dataset<Row> rows) {
    String tag = nextTag();
    append(table, rows, tag);
    return committed(table, tag, "numOutputRows");
  }

  /**
   * {@link #appendCounted}, adding the columns the stored table lacks: a warehouse written before the
   * contract gained a property (events.experiment, events.variant) keeps taking appends.
   */
  public long appendCountedEvolving(TableSchema table, Dataset<Row> rows) {
    String tag = nextTag();
    append(table, rows, tag, true);
    return committed(table, tag, "numOutputRows");
  }

  /** One task per partition value, so a day is written as one file rather than one per task. */
  private static Dataset<Row> byPartition(TableSchema table, Dataset<Row> rows) {
    if (table.partitionBy().isEmpty()) {
      return rows;
    }
    Column[] cols = table.partitionBy().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    return rows.repartition(cols);
  }

  /** True when the table exists and holds a row matching {@code condition} (one row is read at most). */
  public boolean anyRow(TableSchema table, Column condition) {
    return exists(table) && !read(table).where(condition).limit(1).isEmpty();
  }

  /** Creates the table empty if missing, so that readers and merges have a target. */
  public void ensure(TableSchema table) {
    if (!exists(table)) {
      try {
        appendQuietly(table, spark.createDataFrame(new ArrayList<Row>(), table.schema()), nextTag());
      } catch (RuntimeException e) {
        throw conflict(table, e);
      }
    }
  }

  /** Upserts rows by key: matched rows are replaced, new keys inserted, in one Delta commit. */
  public void upsert(TableSchema table, Dataset<Row> rows, String key) {
    upsert(table, rows, List.of(key));
  }

  /** {@link #upsert} by a key of several columns (spend: date, channel, campaign). */
  public void upsert(TableSchema table, Dataset<Row> rows, List<String> key) {
    writing(table);
    compareAndSet(table, rows, key, org.apache.spark.sql.functions.lit(true));
  }

  /**
   * Inserts {@code rows} under their key, or replaces a stored row only where {@code replaceIf}
   * holds (stored columns as {@code t.*}), in one MERGE commit. The MERGE reads the table, so a
   * concurrent commit to it fails this one with a {@link WriteConflict}: a compare-and-set.
   */
  public void compareAndSet(TableSchema table, Dataset<Row> rows, String key, Column replaceIf) {
    compareAndSet(table, rows, List.of(key), replaceIf);
  }

  /** {@link #compareAndSet} by a key of several columns: a row matches when every key column is equal. */
  public void compareAndSet(TableSchema table, Dataset<Row> rows, List<String> key, Column replaceIf) {
    if (!exists(table)) {
      // the first rows of a table: a plain write creates it; a run creating it at the same moment
      // makes this commit fail as a conflict, as a MERGE would
      append(table, rows);
      return;
    }
    try {
      tagged(nextTag(), () -> DeltaTable.forPath(spark, path(table)).as("t")
          .merge(conform(table, rows).as("s"), keyMatch(key))
          .whenMatched(replaceIf).updateAll()
          .whenNotMatched().insertAll()
          // a column this version added (e.g. _ingest_lock.heartbeat_at) joins a table an older one wrote
          .withSchemaEvolution()
          .execute());
    } catch (RuntimeException e) {
      throw conflict(table, e);
    }
  }

  /**
   * Upserts {@code rows} by key and deletes the stored rows that are not among them but match
   * {@code deleteUnmatched} (stored columns as {@code t.*}), in one MERGE commit; returns the rows
   * inserted or updated.
   */
  public long mergeCounted(TableSchema table, Dataset<Row> rows, String key, Column deleteUnmatched) {
    ensure(table);
    String tag = nextTag();
    try {
      writing(table);
      tagged(tag, () -> DeltaTable.forPath(spark, path(table)).as("t")
          .merge(conform(table, rows).as("s"), keyMatch(List.of(key)))
          .whenMatched().updateAll()
          .whenNotMatched().insertAll()
          .whenNotMatchedBySource(deleteUnmatched).delete()
          .execute());
    } catch (RuntimeException e) {
      throw conflict(table, e);
    }
    return committed(table, tag, "numTargetRowsUpdated", "numTargetRowsInserted");
  }

  /** Replaces the whole table (or creates it) in one commit; returns the rows written. */
  public long overwriteCounted(TableSchema table, Dataset<Row> rows) {
    String tag = nextTag();
    try {
      writing(table);
      byPartition(table, conform(table, rows)).write().format("delta").mode("overwrite")
          .option("overwriteSchema", "true")
          .option("userMetadata", tag)
          .partitionBy(table.partitionBy().toArray(new String[0]))
          .save(path(table));
    } catch (RuntimeException e) {
      throw conflict(table, e);
    }
    return committed(table, tag, "numOutputRows");
  }

  /**
   * Replaces the whole table when {@code range} is null, else atomically the rows of the periods the
   * range touches (its days, and the weeks and months it touches: `period_grain`, `period_start`);
   * returns the rows written.
   */
  public long replacePeriods(TableSchema table, Dataset<Row> rows, Periods.Range range) {
    if (range == null) {
      return overwriteCounted(table, rows);
    }
    return replaceWhereCounted(table, rows, Periods.periodCondition(PERIOD_GRAIN, PERIOD_START, range));
  }

  /** The period columns every periodic gold table has. */
  public static final String PERIOD_GRAIN = "period_grain";
  public static final String PERIOD_START = "period_start";

  /** {@link #replaceWhere} that returns the rows written. */
  public long replaceWhereCounted(TableSchema table, Dataset<Row> rows, String condition) {
    if (!exists(table)) {
      ensure(table);
    }
    String tag = nextTag();
    replaceWhere(table, rows, condition, tag);
    return committed(table, tag, "numOutputRows");
  }

  /**
   * The sum of some metrics of the commit tagged {@code tag}, 0 when there is none (Delta made no
   * commit). The latest commits are searched first: other runs may have committed after ours.
   */
  private long committed(TableSchema table, String tag, String... metricNames) {
    Faults.point("counted:" + table.name());
    long n = CommitMetrics.sum(spark, path(table), tag, metricNames);
    LOG.info("{}: commit {} wrote {} rows", table.name(), tag, n);
    return n;
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Tables.class);

  /** Atomically replaces the rows matching {@code condition} (a SQL predicate on partition or data columns). */
  public void replaceWhere(TableSchema table, Dataset<Row> rows, String condition) {
    replaceWhere(table, rows, condition, nextTag());
  }

  private void replaceWhere(TableSchema table, Dataset<Row> rows, String condition, String tag) {
    try {
      writing(table);
      byPartition(table, conform(table, rows)).write().format("delta").mode("overwrite")
          .option("replaceWhere", condition)
          .option("userMetadata", tag)
          .partitionBy(table.partitionBy().toArray(new String[0]))
          .save(path(table));
    } catch (RuntimeException e) {
      throw conflict(table, e);
    }
  }

  /** Deletes the rows matching {@code condition} in one commit; nothing when the table does not exist. */
  public void deleteWhere(TableSchema table, Column condition) {
    deleteWhere(table, condition, nextTag());
  }

  private void deleteWhere(TableSchema table, Column condition, String tag) {
    try {
      if (exists(table)) {
        writing(table);
        tagged(tag, () -> DeltaTable.forPath(spark, path(table)).delete(condition));
      }
    } catch (RuntimeException e) {
      throw conflict(table, e);
    }
  }

  /** {@link #deleteWhere} that returns the rows deleted (0 when the table is missing or nothing matched). */
  public long deleteWhereCounted(TableSchema table, Column condition) {
    if (!exists(table)) {
      return 0;
    }
    String tag = nextTag();
    deleteWhere(table, condition, tag);
    return committed(table, tag, "numDeletedRows");
  }

  /** A Delta write conflict as a {@link WriteConflict} naming the table; anything else unchanged. */
  private static RuntimeException conflict(TableSchema table, RuntimeException e) {
    return WriteConflict.isConflict(e) && !(e instanceof WriteConflict) ? new WriteConflict(table.name(), e) : e;
  }

  /** The tables that exist under the warehouse, of the given candidates, in their order. */
  public List<TableSchema> existing(List<TableSchema> candidates) {
    List<TableSchema> out = new ArrayList<>();
    for (TableSchema t : candidates) {
      if (exists(t)) {
        out.add(t);
      }
    }
    return out;
  }

  public String warehouse() {
    return warehouse;
  }

  /** The MERGE condition: stored ({@code t}) and new ({@code s}) rows agree on every key column. */
  private static Column keyMatch(List<String> key) {
    return key.stream().map(k -> col("t." + k).equalTo(col("s." + k))).reduce(Column::and).orElseThrow();
  }

  /** Selects and casts to the table schema, so a transform's column order or types never drift. */
  private static Dataset<Row> conform(TableSchema table, Dataset<Row> rows) {
    Column[] cols = new Column[table.schema().fields().length];
    int i = 0;
    for (var f : table.schema().fields()) {
      cols[i++] = col(f.name()).cast(f.dataType()).as(f.name());
    }
    return rows.select(cols);
  }
}
