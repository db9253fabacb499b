package dev.chatbotroi.testing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.chatbotroi.common.Settings;
import dev.chatbotroi.ingest.EventRecords;
import dev.chatbotroi.ingest.LineReader;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Builds `events`-shaped rows from NDJSON lines through the real validation, for stage tests without tables. */
public final class Events {
  private Events() {}

  public static Dataset<Row> of(Settings settings, List<String> lines) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      rows.add(RowFactory.create("file:/fixture.ndjson", (long) i + 1, lines.get(i), null, null));
    }
    Dataset<Row> validated = EventRecords.validate(
        TestSpark.session().createDataFrame(rows, LineReader.SCHEMA), settings, TestSpark.HASH_KEY);
    return validated.where(col(EventRecords.REASON).isNull())
        .drop(EventRecords.REASON, EventRecords.DETAIL)
        .withColumnRenamed("reason_property", "reason")
        .withColumn("run_id", lit("fixture"))
        .withColumn("ingested_at", lit(new Timestamp(0)));
  }

  /** One event line; {@code extra} is raw JSON members appended, e.g. "\"intent\":\"pricing\"". */
  public static String ev(String id, String name, String ts, String conversation, String anonymous, String... extra) {
    StringBuilder b = new StringBuilder("{\"event_id\":\"").append(id).append("\",\"event_name\":\"").append(name)
        .append("\",\"event_ts\":\"").append(ts).append("\",\"anonymous_id\":\"").append(anonymous)
        .append("\",\"channel\":\"web\"");
    if (conversation != null) {
      b.append(",\"conversation_id\":\"").append(conversation).append('"');
    }
    for (String e : extra) {
      b.append(',').append(e);
    }
    return b.append('}').toString();
  }
}
