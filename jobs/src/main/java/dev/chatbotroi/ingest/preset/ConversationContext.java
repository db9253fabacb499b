package dev.chatbotroi.ingest.preset;

import static dev.chatbotroi.ingest.preset.VariantValues.textOf;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.ingest.EventRecords;
import dev.chatbotroi.ingest.LineReader;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/** The `@` conversation context columns of an events preset (sessions, first user turn, context); grain: one row per item. */
final class ConversationContext {
  private ConversationContext() {}

  /** @conversation_id, @first_user and the @context columns (see {@link Preset.Conversation}). */
  static void add(MappingFrame m, Preset.Conversation c) {
    Column key = m.mat(textOf(m.firstPresent(c.key())));
    Column[] order = {col("_ts_order"), col(LineReader.SOURCE_FILE), col(LineReader.LINE_NUMBER), col("_idx")};
    m.d = m.flush().withColumn("_at_key", key);
    if (!c.newSession().isEmpty()) {
      Column starts = m.mat(m.conds(c.newSession()));
      m.d = m.flush().withColumn("_session", last(when(starts, unix_millis(col("_ts_order"))), true).over(
          Window.partitionBy(col("_at_key")).orderBy(order).rowsBetween(Window.unboundedPreceding(), Window.currentRow())));
      m.d = m.flush().withColumn("_at_conversation_id", when(col("_session").isNull(), col("_at_key"))
          .otherwise(concat(col("_at_key"), lit("/"), col("_session").cast(DataTypes.StringType))));
    } else {
      m.d = m.flush().withColumn("_at_conversation_id", col("_at_key"));
    }
    Column conv = col("_at_conversation_id");
    if (!c.firstUser().isEmpty()) {
      Column isUser = m.mat(m.conds(c.firstUser()));
      m.d = m.flush().withColumn("_is_user", isUser)
          .withColumn("_at_first_user", when(col("_is_user"),
              row_number().over(Window.partitionBy(conv, col("_is_user")).orderBy(order)).equalTo(1))
              .otherwise(lit(false)).cast(DataTypes.StringType));
    }
    for (Map.Entry<String, Preset.Context> p : c.context().entrySet()) {
      Column cond = m.mat(m.conds(p.getValue().when()));
      Column value = m.mat(when(cond, m.text(p.getValue().path())));
      Column over = p.getValue().scope().equals("first")
          ? first(value, true).over(Window.partitionBy(conv).orderBy(order)
              .rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing()))
          : last(value, true).over(Window.partitionBy(conv).orderBy(order)
              .rowsBetween(Window.unboundedPreceding(), -1));
      m.d = m.flush().withColumn("_at_" + p.getKey(), over);
    }
  }

  /** A sortable instant for ordering items (conversation context), null when unknown. */
  static Column orderTs(Column isoVariant) {
    Column t = textOf(isoVariant);
    return when(t.rlike(EventRecords.TS_PATTERN), t.try_cast(DataTypes.TimestampType))
        .when(t.rlike("^-?[0-9]{1,15}$"), org.apache.spark.sql.functions.timestamp_millis(t.cast(DataTypes.LongType)));
  }
}
