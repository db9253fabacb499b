package dev.chatbotroi.metrics;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Fans fact rows out to every (grain, period_start) and grouping set they count in, so one
 * groupBy computes each segment from its own raw rows (never from smaller segments).
 */
public final class Segments {
  private Segments() {}

  public static final String ALL = "(all)";
  public static final String GRAIN = "period_grain";
  public static final String START = "period_start";
  public static final String SET = "_set";

  /** The six grouping sets of §5, as flags (channel, flow, intent) kept. Index = set id. */
  public static final boolean[][] SETS = {
      {false, false, false}, {true, false, false}, {false, true, false},
      {false, false, true}, {false, true, true}, {true, true, true}};

  public static final List<Integer> ALL_SETS = List.of(0, 1, 2, 3, 4, 5);
  public static final List<Integer> TOTAL_ONLY = List.of(0);
  public static final List<Integer> CHANNEL_ONLY = List.of(0, 1);

  /** The start of the day / ISO week / month holding {@code date}. */
  public static Column periodStart(String grain, Column date) {
    return switch (grain) {
      case "day" -> date;
      case "week" -> to_date(date_trunc("week", date)); // ISO weeks start on Monday
      case "month" -> trunc(date, "month");
      default -> throw new IllegalArgumentException(grain);
    };
  }

  /**
   * One row per input row × grain × grouping set in {@code sets}; dimensions outside the set
   * become "(all)". {@code date} is the reporting-zone date of the fact.
   */
  public static Dataset<Row> fanOut(Dataset<Row> facts, Column date, List<String> grains, List<Integer> sets) {
    List<Column> variants = new ArrayList<>();
    for (String grain : grains) {
      for (int s : sets) {
        boolean[] keep = SETS[s];
        variants.add(struct(
            lit(grain).as(GRAIN), periodStart(grain, date).as(START), lit(s).as(SET),
            (keep[0] ? col("channel") : lit(ALL)).as("channel"),
            (keep[1] ? col("flow") : lit(ALL)).as("flow"),
            (keep[2] ? col("intent") : lit(ALL)).as("intent")));
      }
    }
    List<Column> cols = new ArrayList<>();
    for (String c : facts.columns()) {
      if (!List.of("channel", "flow", "intent").contains(c)) {
        cols.add(col(c));
      }
    }
    cols.add(explode(array(variants.toArray(new Column[0]))).as("_seg"));
    Dataset<Row> exploded = facts.select(cols.toArray(new Column[0]));
    return exploded.select(col("*"), col("_seg." + GRAIN).as(GRAIN), col("_seg." + START).as(START),
        col("_seg." + SET).as(SET), col("_seg.channel").as("channel"), col("_seg.flow").as("flow"),
        col("_seg.intent").as("intent")).drop("_seg");
  }

  public static final List<String> GRAINS = List.of("day", "week", "month");
  public static final String[] KEY = {GRAIN, START, SET, "channel", "flow", "intent"};
}
