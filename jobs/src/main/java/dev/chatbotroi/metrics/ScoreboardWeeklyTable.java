package dev.chatbotroi.metrics;

import static dev.chatbotroi.common.Schemas.*;

import dev.chatbotroi.common.TableSchema;

import java.util.ArrayList;
import dev.chatbotroi.common.TableSchema.PeriodKind;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Table `scoreboard_weekly`: one row per ISO week and flow (plus (all)); per headline metric its
 * value, band (good / ok / poor / n/a) and last week's value.
 */
public final class ScoreboardWeeklyTable {
  private ScoreboardWeeklyTable() {}

  /** The headline metrics, in the order the scoreboard shows them: the catalogue's. */
  public static final List<String> HEADLINE = MetricCatalog.headlineNames();

  public static final TableSchema TABLE = new TableSchema("scoreboard_weekly", schema())
      .exported(List.of("period_start", "flow"), "period_start", PeriodKind.DATE, List.of());

  private static StructType schema() {
    List<StructField> f = new ArrayList<>(List.of(date("period_start"), str("flow")));
    for (String m : HEADLINE) {
      f.add(dbl(m));
      f.add(str(m + "_band"));
      f.add(dbl(m + "_last_week"));
    }
    return struct(f.toArray(new StructField[0]));
  }
}
