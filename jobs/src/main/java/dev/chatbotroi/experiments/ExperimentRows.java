package dev.chatbotroi.experiments;

import static dev.chatbotroi.common.ExperimentsTable.AMOUNTS;
import static dev.chatbotroi.common.ExperimentsTable.METRICS;

import dev.chatbotroi.common.ExperimentsTable;
import dev.chatbotroi.common.Settings;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The rows of `experiments` from the per-variant aggregates: each variant's value per metric, the
 * pooled control's, and the lift with its 95 % interval; grain: one row per experiment, variant and metric.
 *
 * <p>Computed on the driver: the aggregates are a few rows per experiment, and the intervals are
 * those of {@link Intervals}, the one tested implementation of Wilson, Newcombe and Welch, not a
 * second one in Column expressions.
 */
public final class ExperimentRows {
  private ExperimentRows() {}

  /** One variant's (or a pooled control's) aggregates, as {@link Experiments#aggregates} computes them. */
  record Group(long units, long[] counts, BigDecimal[] sums, double[] squares) {
    /** The outcome counts in the order of {@link ExperimentsTable#RATES}. */
    static final List<String> COUNTS = List.of("engaged", "lead", "qualified_lead", "won", "ticket");
    /** The amounts in the order of {@link ExperimentsTable#AMOUNTS}: column of the sum, of its squares. */
    static final List<String[]> AMOUNT_COLUMNS = List.of(new String[] {"revenue", "revenue_sq"},
        new String[] {"gross_profit", "gross_profit_sq"});

    static Group of(Row r) {
      long[] counts = new long[COUNTS.size()];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = r.getLong(r.fieldIndex(COUNTS.get(i)));
      }
      BigDecimal[] sums = new BigDecimal[AMOUNT_COLUMNS.size()];
      double[] squares = new double[AMOUNT_COLUMNS.size()];
      for (int i = 0; i < sums.length; i++) {
        BigDecimal s = r.getDecimal(r.fieldIndex(AMOUNT_COLUMNS.get(i)[0]));
        sums[i] = s == null ? BigDecimal.ZERO : s;
        int sq = r.fieldIndex(AMOUNT_COLUMNS.get(i)[1]);
        squares[i] = r.isNullAt(sq) ? 0 : r.getDouble(sq);
      }
      return new Group(r.getLong(r.fieldIndex("units")), counts, sums, squares);
    }

    /** The two groups as one: counts, sums and sums of squares add up, so the pool is exact. */
    Group plus(Group o) {
      long[] c = counts.clone();
      BigDecimal[] s = sums.clone();
      double[] q = squares.clone();
      for (int i = 0; i < c.length; i++) {
        c[i] += o.counts[i];
      }
      for (int i = 0; i < s.length; i++) {
        s[i] = s[i].add(o.sums[i]);
        q[i] += o.squares[i];
      }
      return new Group(units + o.units, c, s, q);
    }

    /** The metric's numerator: units with the outcome for a rate, the sum for an amount. */
    BigDecimal numerator(int metric) {
      return metric < counts.length ? BigDecimal.valueOf(counts[metric]) : sums[metric - counts.length];
    }

    double value(int metric) {
      return numerator(metric).doubleValue() / units;
    }
  }

  /** The table's rows from {@link Experiments#aggregates}, ordered by experiment, variant and metric. */
  public static Dataset<Row> rows(Dataset<Row> aggregates, Settings settings) {
    List<Row> variants = new ArrayList<>(aggregates.collectAsList());
    variants.sort(Comparator.comparing((Row r) -> r.getString(r.fieldIndex("experiment")))
        .thenComparing(r -> r.getString(r.fieldIndex("variant"))));
    List<String> controls = settings.incrementality().controlVariants();
    Map<String, Group> pooled = new LinkedHashMap<>();
    for (Row r : variants) {
      if (controls.contains(r.getString(r.fieldIndex("variant")))) {
        pooled.merge(r.getString(r.fieldIndex("experiment")), Group.of(r), Group::plus);
      }
    }
    List<Row> out = new ArrayList<>();
    for (Row r : variants) {
      String experiment = r.getString(r.fieldIndex("experiment"));
      boolean control = controls.contains(r.getString(r.fieldIndex("variant")));
      Group g = Group.of(r);
      Group c = pooled.get(experiment);
      for (int m = 0; m < METRICS.size(); m++) {
        Double controlValue = c == null ? null : c.value(m);
        Double[] lift = control || c == null ? new Double[5] : lift(g, c, m);
        out.add(RowFactory.create(experiment, r.getString(r.fieldIndex("variant")), control,
            r.get(r.fieldIndex("first_assigned")), r.get(r.fieldIndex("last_assigned")), g.units(),
            r.getLong(r.fieldIndex("reassigned")), METRICS.get(m), g.numerator(m), g.value(m), controlValue,
            lift[0], lift[1], lift[2], lift[3], lift[4]));
      }
    }
    return aggregates.sparkSession().createDataFrame(out, ExperimentsTable.TABLE.schema());
  }

  /**
   * lift, its interval's low and high end, relative lift (null when the control's value is 0), and
   * incremental (lift × the variant's units) of metric {@code m}, variant {@code g} against control {@code c}.
   */
  static Double[] lift(Group g, Group c, int m) {
    double value = g.value(m);
    double control = c.value(m);
    double lift = value - control;
    Intervals.Interval ci;
    if (m < g.counts().length) {
      ci = Intervals.newcombe(g.counts()[m], g.units(), c.counts()[m], c.units());
    } else {
      int a = m - g.counts().length;
      ci = Intervals.welch(value, variance(g, a), g.units(), control, variance(c, a), c.units());
    }
    return new Double[] {lift, ci.low(), ci.high(), control == 0 ? null : lift / control, lift * g.units()};
  }

  /** The sample variance (n − 1; 0 for one unit) of amount {@code a} per unit of the group. */
  private static double variance(Group g, int a) {
    return Intervals.sampleVariance(g.units(), g.sums()[a].doubleValue(), g.squares()[a]);
  }

  // Group indexes the metrics as the rates' counts, then the amounts' sums: the table's list must agree
  static {
    if (METRICS.size() != Group.COUNTS.size() + AMOUNTS.size()) {
      throw new IllegalStateException("every metric is a rate or an amount");
    }
  }
}
