package dev.chatbotroi.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.try_to_timestamp;

import dev.chatbotroi.common.EventContract;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.SparkSessions;
import dev.chatbotroi.common.Tables;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The floors `scripts/bench` measures ours against (issue 7): the least work any ingest or stage
 * could do over the same input, one probe per fresh JVM.
 *
 * <pre>
 *   Floors json_scan    LAKE_EVENTS_DIR           read NDJSON with the ingest schema → noop
 *   Floors ingest_floor LAKE_EVENTS_DIR OUT_DIR   that read + dropDuplicates(event_id) + Delta write by date
 *   Floors delta_scan   WAREHOUSE                 the `events` Delta table → noop
 * </pre>
 */
public final class Floors {
  private Floors() {}

  /** The event envelope (docs/ingest.md) with every property the ingest reads, as Spark's JSON reader types it. */
  static final StructType ENVELOPE = envelope();

  private static StructType envelope() {
    StructType props = new StructType();
    for (var p : EventContract.PROPERTIES.entrySet()) {
      DataType t = switch (p.getValue()) {
        case BOOLEAN -> DataTypes.BooleanType;
        case SCORE -> DataTypes.LongType;
        case REVENUE -> DataTypes.createDecimalType(38, 6);
        default -> DataTypes.StringType;
      };
      props = props.add(p.getKey(), t);
    }
    StructType s = new StructType();
    for (EventContract.Field f : EventContract.ENVELOPE) {
      if (f.type() != EventContract.Type.OBJECT) {
        s = s.add(f.name(), DataTypes.StringType); // event_ts too: the floor parses it as the ingest does
      }
    }
    return s.add("properties", props);
  }

  public static void main(String[] args) {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: Floors json_scan|ingest_floor|delta_scan|tiny_floor DIR [OUT]");
    }
    long t0 = System.nanoTime();
    // generated lakes carry a deliberately stale .crc beside one file (LineReader ignores it);
    // Spark's file sources would fail on it, so the probes read through the raw local file system
    System.setProperty("spark.hadoop.fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    Settings settings = Settings.load(null, java.util.List.of("pii.hash-key=bench"));
    SparkSession spark = SparkSessions.create("chatbot-roi bench " + args[0], null, settings);
    try {
      long rows = switch (args[0]) {
        case "json_scan" -> noop(scan(spark, args[1]));
        case "ingest_floor" -> ingestFloor(spark, args[1], args[2]);
        case "delta_scan" -> noop(new Tables(spark, args[1]).read(EventsTable.TABLE));
        case "tiny_floor" -> tinyFloor(spark, args[1], args[2]);
        default -> throw new IllegalArgumentException("unknown probe " + args[0]);
      };
      System.out.println(String.format(Locale.ROOT, "floors: %s %.1f s (session included)%s", args[0],
          (System.nanoTime() - t0) / 1e9, rows < 0 ? "" : ", " + rows + " rows"));
    } finally {
      spark.stop();
    }
  }

  /** Every NDJSON file under the events folder (plain or .gz), parsed with the envelope schema. */
  static Dataset<Row> scan(SparkSession spark, String eventsDir) {
    return spark.read().schema(ENVELOPE).option("recursiveFileLookup", "true")
        .option("pathGlobFilter", "*.ndjson*").json(eventsDir);
  }

  private static long noop(Dataset<Row> rows) {
    rows.write().format("noop").mode("overwrite").save();
    return -1;
  }

  /**
   * The fixed cost any run pays: a session (timed from the JVM's start by the caller), one Delta
   * write of the lake's events and one read of it back.
   */
  static long tinyFloor(SparkSession spark, String eventsDir, String out) {
    scan(spark, eventsDir).write().format("delta").mode("overwrite").save(out);
    return spark.read().format("delta").load(out).count();
  }

  /** The least an ingest can do: parse, de-duplicate by id, write one Delta table by event date. */
  static long ingestFloor(SparkSession spark, String eventsDir, String out) {
    scan(spark, eventsDir)
        .dropDuplicates("event_id")
        // ISO strings or epoch milliseconds, as the contract allows; a bad one lands in a null date
        .withColumn("event_date", to_date(coalesce(try_to_timestamp(col("event_ts")),
            timestamp_millis(col("event_ts").try_cast(DataTypes.LongType)))))
        .write().format("delta").mode("overwrite").partitionBy("event_date").save(out);
    return -1;
  }
}
