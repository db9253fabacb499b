package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import dev.chatbotroi.common.TableSchema.PeriodKind;
import java.util.List;

/**
 * Table `experiments` (docs/experiments.md): one row per experiment, variant and metric, with the
 * variant's value, the pooled control's, and the lift with its 95 % interval; rebuilt whole.
 */
public final class ExperimentsTable {
  private ExperimentsTable() {}

  public static final String EXPERIMENT = "experiment";
  public static final String VARIANT = "variant";
  public static final String IS_CONTROL = "is_control";
  public static final String FIRST_ASSIGNED = "first_assigned";
  public static final String LAST_ASSIGNED = "last_assigned";
  public static final String UNITS = "units";
  public static final String REASSIGNED = "reassigned";
  public static final String METRIC = "metric";
  public static final String NUMERATOR = "numerator";
  public static final String VALUE = "value";
  public static final String CONTROL_VALUE = "control_value";
  public static final String LIFT = "lift";
  public static final String LIFT_CI_LOW = "lift_ci_low";
  public static final String LIFT_CI_HIGH = "lift_ci_high";
  public static final String RELATIVE_LIFT = "relative_lift";
  public static final String INCREMENTAL = "incremental";

  /** The rates: units with the outcome / units; their intervals are Newcombe's. */
  public static final List<String> RATES = List.of("engaged_rate", "lead_rate", "qualified_lead_rate", "won_rate",
      "ticket_rate");
  /** The amounts per unit: sums / units; their intervals are Welch's. */
  public static final List<String> AMOUNTS = List.of("revenue_per_unit", "gross_profit_per_unit");

  /** Every metric, in the order of the rows of a variant. */
  public static final List<String> METRICS = List.of("engaged_rate", "lead_rate", "qualified_lead_rate", "won_rate",
      "ticket_rate", "revenue_per_unit", "gross_profit_per_unit");

  // the numerator holds a count or a sum of money: decimal, so both stay exact
  public static final TableSchema TABLE = new TableSchema("experiments", struct(
      str(EXPERIMENT), str(VARIANT), bool(IS_CONTROL), date(FIRST_ASSIGNED), date(LAST_ASSIGNED), lng(UNITS),
      lng(REASSIGNED), str(METRIC), money(NUMERATOR), dbl(VALUE), dbl(CONTROL_VALUE), dbl(LIFT),
      dbl(LIFT_CI_LOW), dbl(LIFT_CI_HIGH), dbl(RELATIVE_LIFT), dbl(INCREMENTAL)))
      .exported(List.of(EXPERIMENT, VARIANT, METRIC), null, PeriodKind.NONE, List.of(List.of(METRIC)));
}
