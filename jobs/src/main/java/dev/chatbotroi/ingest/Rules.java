package dev.chatbotroi.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;

/** An ordered list of validation rules folded into reason and detail columns: the first that fires wins. */
final class Rules {
  private Rules() {}

  /** [condition, reason, detail]; a null condition counts as not firing. */
  static Column[] rule(Column condition, String reason, Column detail) {
    return new Column[] {coalesce(condition, lit(false)), lit(reason), detail};
  }

  static Column[] rule(Column condition, String reason, String detail) {
    return rule(condition, reason, lit(detail));
  }

  /** Negation where null (unknown) counts as false, so not(null) fires. */
  static Column not(Column c) {
    return org.apache.spark.sql.functions.not(coalesce(c, lit(false)));
  }

  /** {reason, detail}: when(c1, v1).when(c2, v2)… in the order given. */
  static Column[] first(List<Column[]> rules) {
    Column reason = null;
    Column detail = null;
    for (Column[] r : rules) {
      reason = reason == null ? when(r[0], r[1]) : reason.when(r[0], r[1]);
      detail = detail == null ? when(r[0], r[2]) : detail.when(r[0], r[2]);
    }
    return new Column[] {reason, detail};
  }
}
