package dev.chatbotroi.common;

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

  /** The six grouping sets of docs/metrics.md, as flags (channel, flow, intent) kept. Index = set id. */
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
    List<boolean[]> flags = sets.stream().map(i -> SETS[i]).toList();
    return fanOut(facts, date, grains, DIMENSIONS, sets, flags);
  }

  public static final List<String> DIMENSIONS = List.of("channel", "flow", "intent");

  /**
   * The general form: {@code dims} are the segment columns, {@code flags.get(i)} says which of
   * them grouping set {@code ids.get(i)} keeps.
   */
  public static Dataset<Row> fanOut(Dataset<Row> facts, Column date, List<String> grains, List<String> dims,
      List<Integer> ids, List<boolean[]> flags) {
    List<Column> variants = new ArrayList<>();
    for (String grain : grains) {
      for (int i = 0; i < ids.size(); i++) {
        List<Column> fields = new ArrayList<>(List.of(
            lit(grain).as(GRAIN), periodStart(grain, date).as(START), lit(ids.get(i)).as(SET)));
        for (int d = 0; d < dims.size(); d++) {
          fields.add((flags.get(i)[d] ? col(dims.get(d)) : lit(ALL)).as(dims.get(d)));
        }
        variants.add(struct(fields.toArray(new Column[0])));
      }
    }
    List<Column> cols = new ArrayList<>();
    for (String c : facts.columns()) {
      if (!dims.contains(c)) {
        cols.add(col(c));
      }
    }
    cols.add(explode(array(variants.toArray(new Column[0]))).as("_seg"));
    List<Column> out = new ArrayList<>(List.of(col("*"), col("_seg." + GRAIN).as(GRAIN),
        col("_seg." + START).as(START), col("_seg." + SET).as(SET)));
    for (String d : dims) {
      out.add(col("_seg." + d).as(d));
    }
    return facts.select(cols.toArray(new Column[0])).select(out.toArray(new Column[0])).drop("_seg");
  }

  public static final List<String> GRAINS = List.of("day", "week", "month");
  public static final String[] KEY = {GRAIN, START, SET, "channel", "flow", "intent"};
}
