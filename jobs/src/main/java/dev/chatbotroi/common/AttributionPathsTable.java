package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import dev.chatbotroi.common.TableSchema.PeriodKind;
import java.util.List;

/**
 * Table `attribution_paths`: one row per window and collapsed path (docs/attribution.md#attribution_paths).
 * Exported without a primary key: (window_days, path) is unique, but a long path is longer than a
 * PostgreSQL index entry may be.
 */
public final class AttributionPathsTable {
  private AttributionPathsTable() {}

  public static final String PATH = "path";
  public static final String PATH_LENGTH = "path_length";
  public static final String CONVERSIONS = "conversions";
  public static final String NON_CONVERSIONS = "non_conversions";
  public static final String CONVERSION_RATE = "conversion_rate";
  public static final String WON_REVENUE = "won_revenue";
  public static final String MEDIAN_DAYS = "median_days_to_conversion";
  public static final String MEDIAN_TOUCHES = "median_touches";

  public static final TableSchema TABLE = new TableSchema("attribution_paths", struct(
      integer("window_days"), str(PATH), integer(PATH_LENGTH), lng("journeys"), lng(CONVERSIONS), lng(NON_CONVERSIONS),
      dbl(CONVERSION_RATE), money(WON_REVENUE), dbl(MEDIAN_DAYS), dbl(MEDIAN_TOUCHES)))
      .exported(List.of(), null, PeriodKind.NONE, List.of(List.of("window_days")));
}
