package dev.chatbotroi.cli.report;

import dev.chatbotroi.common.ExperimentsTable;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.experiments.SampleRatio;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * Prints each holdout experiment's variants with their units, each non-control variant's lift per
 * metric with its 95 % interval, and the sample-ratio check against equal shares; grain: one experiment.
 */
public final class ExperimentReport {
  private ExperimentReport() {}

  public static void print(Tables tables, PrintStream out) {
    if (!tables.exists(ExperimentsTable.TABLE)) {
      return;
    }
    // a few rows per variant: the whole table is small
    Map<String, Map<String, List<Row>>> byExperiment = new TreeMap<>();
    for (Row r : tables.read(ExperimentsTable.TABLE).collectAsList()) {
      byExperiment.computeIfAbsent(r.getAs(ExperimentsTable.EXPERIMENT), k -> new TreeMap<>())
          .computeIfAbsent(r.getAs(ExperimentsTable.VARIANT), k -> new ArrayList<>()).add(r);
    }
    out.println();
    if (byExperiment.isEmpty()) {
      out.println("Holdout experiments: no experiment_assigned events.");
      return;
    }
    // rows come back in any order: each variant's in the table's metric order
    byExperiment.values().forEach(v -> v.values().forEach(rows -> rows.sort(java.util.Comparator.comparingInt(
        (Row r) -> ExperimentsTable.METRICS.indexOf(r.<String>getAs(ExperimentsTable.METRIC))))));
    byExperiment.forEach((name, variants) -> experiment(name, variants, out));
  }

  private static void experiment(String name, Map<String, List<Row>> variants, PrintStream out) {
    out.println("Holdout experiment " + name + " (docs/experiments.md)");
    out.println(String.format(Locale.ROOT, "  %-12s %-8s %10s  %-22s %10s", "variant", "control", "units",
        "assigned", "reassigned"));
    Map<String, Long> units = new LinkedHashMap<>();
    for (var e : variants.entrySet()) {
      Row r = e.getValue().get(0);
      units.put(e.getKey(), r.<Long>getAs(ExperimentsTable.UNITS));
      out.println(String.format(Locale.ROOT, "  %-12s %-8s %,10d  %-22s %,10d", e.getKey(),
          r.<Boolean>getAs(ExperimentsTable.IS_CONTROL) ? "yes" : "no", r.<Long>getAs(ExperimentsTable.UNITS),
          r.getAs(ExperimentsTable.FIRST_ASSIGNED) + ".." + r.getAs(ExperimentsTable.LAST_ASSIGNED),
          r.<Long>getAs(ExperimentsTable.REASSIGNED)));
    }
    for (var e : variants.entrySet()) {
      if (e.getValue().get(0).<Boolean>getAs(ExperimentsTable.IS_CONTROL)) {
        continue;
      }
      if (e.getValue().get(0).getAs(ExperimentsTable.CONTROL_VALUE) == null) {
        out.println("  " + e.getKey() + ": no control variant (incrementality.control-variants), so no lift");
        continue;
      }
      out.println("  " + e.getKey() + " vs the pooled control (rates in %, lifts in percentage points,"
          + " amounts per unit):");
      out.println(String.format(Locale.ROOT, "    %-22s %10s %10s %10s  %s", "metric", "value", "control", "lift",
          "95 % interval"));
      for (Row r : e.getValue()) {
        boolean rate = ExperimentsTable.RATES.contains(r.<String>getAs(ExperimentsTable.METRIC));
        double low = r.getAs(ExperimentsTable.LIFT_CI_LOW);
        double high = r.getAs(ExperimentsTable.LIFT_CI_HIGH);
        out.println(String.format(Locale.ROOT, "    %-22s %10s %10s %10s  [%s, %s]%s",
            r.getAs(ExperimentsTable.METRIC), number(r.getAs(ExperimentsTable.VALUE), rate, false),
            number(r.getAs(ExperimentsTable.CONTROL_VALUE), rate, false),
            number(r.getAs(ExperimentsTable.LIFT), rate, true), number(low, rate, true), number(high, rate, true),
            low > 0 || high < 0 ? "  *" : ""));
      }
      out.println("    (* the interval excludes 0)");
    }
    sampleRatio(units, out);
  }

  /** The split of units against equal planned shares: a diagnostic line, never an error. */
  static void sampleRatio(Map<String, Long> units, PrintStream out) {
    if (units.size() < 2) {
      return;
    }
    long[] observed = units.values().stream().mapToLong(Long::longValue).toArray();
    double[] equal = new double[observed.length];
    java.util.Arrays.fill(equal, 1.0);
    double p = SampleRatio.chiSquarePValue(observed, equal);
    long total = java.util.Arrays.stream(observed).sum();
    StringBuilder split = new StringBuilder();
    String worst = null;
    double worstGap = -1;
    for (var e : units.entrySet()) {
      double share = (double) e.getValue() / total;
      split.append(split.length() == 0 ? "" : ", ").append(e.getKey())
          .append(String.format(Locale.ROOT, " %.1f %%", 100 * share));
      double gap = Math.abs(share - 1.0 / units.size());
      if (gap > worstGap) {
        worstGap = gap;
        worst = e.getKey();
      }
    }
    if (SampleRatio.sampleRatioMismatch(observed, equal)) {
      out.println(String.format(Locale.ROOT, "  sample ratio mismatch: %s against equal shares (p = %.2g < %s);"
          + " %s is furthest off: check how visitors are assigned before trusting the lift", split, p,
          SampleRatio.ALPHA, worst));
    } else {
      out.println(String.format(Locale.ROOT, "  sample ratio: %s against equal shares (p = %.2g): no mismatch",
          split, p));
    }
  }

  /** A rate as % (a lift as signed percentage points), an amount with two decimals; "-" when empty. */
  private static String number(Double v, boolean rate, boolean signed) {
    if (v == null) {
      return "-";
    }
    String sign = signed ? "+" : "";
    return rate ? String.format(Locale.ROOT, "%" + sign + ".2f", 100 * v) : String.format(Locale.ROOT, "%" + sign + ",.2f", v);
  }
}
