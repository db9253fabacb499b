package dev.chatbotroi.common;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Column;

/** Whether a `leads` row is qualified at the `lead-quality.level` setting (docs/metrics.md); grain: one lead. */
public final class LeadQuality {
  private LeadQuality() {}

  /** sql: an `sql_at`; mql: an `mql_at` or an `sql_at` (an SQL was an MQL first, whether or not the CRM says so). */
  public static Column qualified(Settings settings) {
    return settings.leadQualityLevel() == Settings.LeadQualityLevel.SQL
        ? col("sql_at").isNotNull()
        : col("mql_at").isNotNull().or(col("sql_at").isNotNull());
  }
}
