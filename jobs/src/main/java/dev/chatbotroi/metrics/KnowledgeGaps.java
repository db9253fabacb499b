package dev.chatbotroi.metrics;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;

import dev.chatbotroi.common.Segments;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/** Computes `knowledge_gaps`: per week / month, each (intent, question) the bot could not answer, ranked. */
public final class KnowledgeGaps {
  private KnowledgeGaps() {}

  static final List<String> GRAINS = List.of("week", "month");

  /** Each row of {@code rows} once per grain, with that grain's period start of {@code date}. */
  static Dataset<Row> perGrain(Dataset<Row> rows, Column date) {
    Column[] variants = GRAINS.stream()
        .map(g -> struct(lit(g).as("g"), Segments.periodStart(g, date).as("s")))
        .toArray(Column[]::new);
    return rows.withColumn("_p", explode(array(variants)))
        .withColumn("period_grain", col("_p.g"))
        .withColumn("period_start", col("_p.s"))
        .drop("_p");
  }

  /** From `conversations` (their gap_questions are already normalised, once per conversation). */
  public static Dataset<Row> compute(Dataset<Row> conversations) {
    Dataset<Row> gaps = perGrain(conversations.where(col("knowledge_gap")), col("period_date"));
    Dataset<Row> totals = gaps.groupBy("period_grain", "period_start").agg(count(lit(1)).as("_total"));
    Dataset<Row> byQuestion = gaps
        .select(col("period_grain"), col("period_start"), col("intent"), col("conversation_id"), col("start_ts"),
            explode(col("gap_questions")).as("question"))
        .groupBy("period_grain", "period_start", "intent", "question")
        .agg(count(lit(1)).as("conversations"),
            min(struct(col("start_ts"), col("conversation_id"))).getField("conversation_id").as("example_conversation_id"));
    return byQuestion.join(totals, List.of("period_grain", "period_start").stream()
            .map(c -> byQuestion.col(c).equalTo(totals.col(c))).reduce(Column::and).orElseThrow())
        .select(byQuestion.col("period_grain"), byQuestion.col("period_start"), col("intent"), col("question"),
            col("conversations"), col("conversations").cast(DataTypes.DoubleType).divide(col("_total")).as("share"),
            col("example_conversation_id"),
            row_number().over(Window.partitionBy(byQuestion.col("period_grain"), byQuestion.col("period_start"))
                .orderBy(col("conversations").desc(), col("intent"), col("question"))).as("rank"));
  }
}
