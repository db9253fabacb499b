package dev.chatbotroi.metrics;

import static dev.chatbotroi.common.Segments.GRAIN;
import static dev.chatbotroi.common.Segments.GRAINS;
import static dev.chatbotroi.common.Segments.SET;
import static dev.chatbotroi.common.Segments.START;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.Deals;
import dev.chatbotroi.common.Segments;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Schemas;
import dev.chatbotroi.common.Settings;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** Computes `funnel`: impressions → engaged → leads → qualified → meetings → won, per period and (channel, page_type). */
public final class Funnel {
  private Funnel() {}

  static final List<String> DIMS = List.of("channel", "page_type");
  static final List<Integer> IDS = List.of(0, 1, 2, 3);
  static final List<boolean[]> SETS = List.of(
      new boolean[] {false, false}, new boolean[] {true, false}, new boolean[] {false, true},
      new boolean[] {true, true});
  static final String[] STEPS = {"impressions", "engaged", "leads", "qualified_leads", "qualified_meetings",
      "won_deals", "won_revenue"};

  /** A fact row with every step zero but {@code set}, in the funnel's column order. */
  static Dataset<Row> facts(Dataset<Row> in, Column date, Column channel, Column pageType, Column captured,
      Column... steps) {
    Column[] cols = new Column[3 + STEPS.length + 1];
    cols[0] = date.as("_d");
    cols[1] = coalesce(channel, lit("(none)")).as("channel");
    cols[2] = coalesce(pageType, lit("(none)")).as("page_type");
    for (int i = 0; i < STEPS.length; i++) {
      Column v = i < steps.length && steps[i] != null ? steps[i] : lit(0);
      cols[3 + i] = (STEPS[i].equals("won_revenue") ? v.cast(Schemas.MONEY) : v.cast(DataTypes.LongType)).as(STEPS[i]);
    }
    cols[cols.length - 1] = captured.as("_segmented");
    return in.select(cols);
  }

  /**
   * @param captures conversations of all time that captured a lead (they segment leads and deals)
   * @param leads    CRM leads; @param deals CRM deals (closed-won ones are counted)
   */
  public static Dataset<Row> compute(Dataset<Row> conversations, Dataset<Row> captures, Dataset<Row> impressions,
      Dataset<Row> leads, Dataset<Row> deals, Settings settings) {
    Dataset<Row> impr = facts(impressions, Periods.localDate(col("event_ts"), settings), col("channel"),
        col("page_type"), lit(true), lit(1));
    Dataset<Row> engaged = facts(conversations, col("period_date"), col("channel"), col("page_type"), lit(true),
        lit(0), when(col("engaged"), 1).otherwise(0));

    Dataset<Row> leadFacts = Metrics.leadFacts(captures, leads, settings).where(col("_bot"));
    Dataset<Row> leadRows = facts(leadFacts, col("_d"), col("channel"), col("page_type"), col("_captured"),
        lit(0), lit(0), lit(1), when(col("_qualified"), 1).otherwise(0), when(col("_booked"), 1).otherwise(0));

    Dataset<Row> won = Deals.owned(deals, leads)
        .where(col("stage").equalTo("closed_won").and(col("closed_at").isNotNull()));
    Dataset<Row> wonOfLeads = won.join(leadFacts, won.col("owner_lead_id").equalTo(leadFacts.col("lead_id")));
    Dataset<Row> wonRows = facts(wonOfLeads, Periods.localDate(won.col("closed_at"), settings), col("channel"),
        col("page_type"), col("_captured"), lit(0), lit(0), lit(0), lit(0), lit(0), lit(1), col("amount"));

    Dataset<Row> all = impr.unionByName(engaged).unionByName(leadRows).unionByName(wonRows);
    // leads with no capturing conversation have no channel or page: they count in the () rows only
    Dataset<Row> fanned = Segments.fanOut(all, col("_d"), GRAINS, DIMS, IDS, SETS)
        .where(col(SET).equalTo(0).or(col("_segmented")));
    Column[] sums = new Column[STEPS.length];
    for (int i = 0; i < STEPS.length; i++) {
      sums[i] = sum(col(STEPS[i])).as(STEPS[i]);
    }
    Column anyNonZero = lit(false);
    for (String step : STEPS) {
      anyNonZero = anyNonZero.or(col(step).notEqual(0));
    }
    return fanned
        .groupBy(col(GRAIN), col(START), col(SET), col("channel"), col("page_type"))
        .agg(sums[0], java.util.Arrays.copyOfRange(sums, 1, sums.length))
        .where(anyNonZero)
        .select(col(GRAIN).as("period_grain"), col(START).as("period_start"), col("channel"), col("page_type"),
            col("impressions"), col("engaged"), col("leads"), col("qualified_leads"), col("qualified_meetings"),
            col("won_deals"), col("won_revenue"));
  }
}
