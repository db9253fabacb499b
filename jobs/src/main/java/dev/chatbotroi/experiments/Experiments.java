package dev.chatbotroi.experiments;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.chatbotroi.common.Columns;
import dev.chatbotroi.common.Deals;
import dev.chatbotroi.common.IdentityMap;
import dev.chatbotroi.common.LeadQuality;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Schemas;
import dev.chatbotroi.common.Settings;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Holdout experiments (docs/experiments.md): the units of each experiment with their counted
 * assignment, their lead, their outcomes in the window, and per-variant aggregates; grain of
 * {@link #outcomes}: one row per experiment and unit, of {@link #aggregates}: per experiment and variant.
 */
public final class Experiments {
  private Experiments() {}

  public static final String ASSIGNED = "experiment_assigned";

  /**
   * One row per experiment and unit (the visitor: anonymous_id, else user_id): its first assignment
   * by (event_ts, event_id), whose variant counts, and how many later assignments it had, whatever
   * variant they name. Columns: experiment, unit, variant, assigned_at, anonymous_id, user_id, reassigned.
   */
  public static Dataset<Row> units(Dataset<Row> events) {
    // the kind is part of the key: an anonymous_id and a user_id that happen to be equal stay two units
    Column unit = when(col("anonymous_id").isNotNull(), concat(lit("anonymous_id:"), col("anonymous_id")))
        .otherwise(concat(lit("user_id:"), col("user_id")));
    return events
        .where(col("event_name").equalTo(ASSIGNED)
            .and(col("experiment").isNotNull()).and(col("variant").isNotNull()))
        .groupBy(col("experiment"), unit.as("unit"))
        .agg(min(struct(col("event_ts"), col("event_id"), col("variant"), col("anonymous_id"), col("user_id")))
            .as("_first"), count(lit(1)).minus(1).as("reassigned"))
        .select(col("experiment"), col("unit"), col("_first.variant").as("variant"),
            col("_first.event_ts").as("assigned_at"), col("_first.anonymous_id").as("anonymous_id"),
            col("_first.user_id").as("user_id"), col("reassigned"));
  }

  /** {@link #units} with each unit's `lead_id`: its counted assignment's user_id, else the identity map's lead. */
  public static Dataset<Row> withLeads(Dataset<Row> units, Dataset<Row> identity) {
    return units.join(identity, units.col("anonymous_id").equalTo(identity.col(IdentityMap.ANONYMOUS_ID)), "left")
        .withColumn("lead_id", coalesce(col("user_id"), col(IdentityMap.LEAD_ID)))
        .drop(IdentityMap.ANONYMOUS_ID, IdentityMap.LEAD_ID);
  }

  /** Closed-won deals with their owner lead (as attribution owns them), close time, amount and gross profit. */
  public static Dataset<Row> wonDeals(Dataset<Row> deals, Dataset<Row> leads, Settings settings) {
    return Deals.owned(deals, leads)
        .where(col("stage").equalTo("closed_won").and(col("closed_at").isNotNull())
            .and(col("owner_lead_id").isNotNull()))
        .select(col("owner_lead_id").as("_deal_lead"), col("closed_at").as("_closed_at"),
            col("amount").cast(Schemas.MONEY).as("_amount"), Deals.grossProfit(settings).as("_gross_profit"));
  }

  /**
   * One row per unit of {@link #withLeads} with its outcomes in [assigned_at, assigned_at + window]:
   * engaged, lead, qualified_lead, won, ticket (booleans) and won_revenue, won_gross_profit (sums, 0 without).
   *
   * @param conversations the `conversations` table (anonymous_id, engaged, start_ts)
   * @param leads         the `leads` table
   * @param won           {@link #wonDeals}
   * @param tickets       the `tickets` table
   */
  public static Dataset<Row> outcomes(Dataset<Row> units, Dataset<Row> conversations, Dataset<Row> leads,
      Dataset<Row> won, Dataset<Row> tickets, Settings settings) {
    long window = settings.incrementality().windowDays() * 86_400L * 1_000_000L;
    Dataset<Row> u = units.select(col("experiment").as("_x"), col("unit").as("_u"),
        col("anonymous_id").as("_anon"), col("lead_id").as("_lead"), unix_micros(col("assigned_at")).as("_from"));

    // a unit known only by user_id has no anonymous_id, so no conversation of its own: never engaged
    Dataset<Row> conv = conversations.where(col("engaged").and(col("anonymous_id").isNotNull()))
        .select(col("anonymous_id").as("_c_anon"), unix_micros(col("start_ts")).as("_c_at"));
    Dataset<Row> engaged = flagged(u.join(conv, col("_anon").equalTo(col("_c_anon"))
        .and(within(col("_c_at"), window)), "left_semi"), "engaged");

    Dataset<Row> l = leads.where(col("created_at").isNotNull())
        .select(col("lead_id").as("_l_lead"), unix_micros(col("created_at")).as("_l_at"),
            LeadQuality.qualified(settings).as("_l_qualified"));
    Dataset<Row> withLead = u.join(l, col("_lead").equalTo(col("_l_lead")).and(within(col("_l_at"), window)));
    Dataset<Row> lead = flagged(withLead, "lead");
    // qualified whenever that happened: only the lead's creation has to fall in the window
    Dataset<Row> qualified = flagged(withLead.where(col("_l_qualified")), "qualified_lead");

    Dataset<Row> wonIn = u.join(won, col("_lead").equalTo(col("_deal_lead"))
            .and(within(unix_micros(col("_closed_at")), window)))
        .groupBy(col("_x"), col("_u"))
        .agg(lit(true).as("won"), sum(col("_amount")).as("_rev"), sum(col("_gross_profit")).as("_gp"));

    // by anonymous_id or by lead: two equi-joins, not one join on an OR
    Dataset<Row> t = tickets.where(col("created_at").isNotNull())
        .select(col("anonymous_id").as("_t_anon"), col("lead_id").as("_t_lead"),
            unix_micros(col("created_at")).as("_t_at"));
    Dataset<Row> byAnon = u.join(t, col("_anon").equalTo(col("_t_anon")).and(within(col("_t_at"), window)),
        "left_semi");
    Dataset<Row> byLead = u.join(t, col("_lead").equalTo(col("_t_lead")).and(within(col("_t_at"), window)),
        "left_semi");
    Dataset<Row> ticket = flagged(byAnon.unionByName(byLead), "ticket");

    Column zero = lit(0).cast(Schemas.MONEY);
    Dataset<Row> out = units.withColumnRenamed("experiment", "_x").withColumnRenamed("unit", "_u");
    for (Dataset<Row> flags : List.of(engaged, lead, qualified, wonIn, ticket)) {
      out = out.join(flags, Columns.names("_x", "_u"), "left");
    }
    return out.select(col("_x").as("experiment"), col("_u").as("unit"), col("variant"), col("assigned_at"),
        col("anonymous_id"), col("lead_id"), col("reassigned"),
        coalesce(col("engaged"), lit(false)).as("engaged"), coalesce(col("lead"), lit(false)).as("lead"),
        coalesce(col("qualified_lead"), lit(false)).as("qualified_lead"), coalesce(col("won"), lit(false)).as("won"),
        coalesce(col("ticket"), lit(false)).as("ticket"),
        coalesce(col("_rev"), zero).cast(Schemas.MONEY).as("won_revenue"),
        coalesce(col("_gp"), zero).cast(Schemas.MONEY).as("won_gross_profit"));
  }

  /** At or after the unit's assignment and at most the window after it, both ends included. */
  private static Column within(Column atMicros, long windowMicros) {
    return atMicros.geq(col("_from")).and(atMicros.leq(col("_from").plus(lit(windowMicros))));
  }

  /** The distinct units of {@code matched}, with {@code name} = true. */
  private static Dataset<Row> flagged(Dataset<Row> matched, String name) {
    return matched.select(col("_x"), col("_u")).distinct().withColumn(name, lit(true));
  }

  /**
   * One row per experiment and variant: units, reassigned, the reporting-zone dates of the first and
   * last counted assignment, the units with each outcome, and the sums and sums of squares (over
   * units) of won revenue and gross profit, for the per-unit means and their sample variances.
   */
  public static Dataset<Row> aggregates(Dataset<Row> outcomes, Settings settings) {
    Column day = Periods.localDate(col("assigned_at"), settings);
    Column revenue = col("won_revenue").cast(DataTypes.DoubleType);
    Column profit = col("won_gross_profit").cast(DataTypes.DoubleType);
    return outcomes.groupBy(col("experiment"), col("variant")).agg(
        count(lit(1)).as("units"), sum(col("reassigned")).as("reassigned"),
        min(day).as("first_assigned"), max(day).as("last_assigned"),
        count_if(col("engaged")).as("engaged"), count_if(col("lead")).as("lead"),
        count_if(col("qualified_lead")).as("qualified_lead"), count_if(col("won")).as("won"),
        count_if(col("ticket")).as("ticket"),
        sum(col("won_revenue")).cast(Schemas.MONEY).as("revenue"), sum(revenue.multiply(revenue)).as("revenue_sq"),
        sum(col("won_gross_profit")).cast(Schemas.MONEY).as("gross_profit"),
        sum(profit.multiply(profit)).as("gross_profit_sq"));
  }
}
