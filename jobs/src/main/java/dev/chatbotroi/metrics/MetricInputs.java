package dev.chatbotroi.metrics;

import static org.apache.spark.sql.functions.col;

import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.DealsTable;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.LeadsTable;
import dev.chatbotroi.common.MetricsTable;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.TicketsTable;
import java.sql.Date;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The inputs of the `metrics` and reports stages, restricted to a range; grain: one chunk of a run. */
public final class MetricInputs {
  private MetricInputs() {}

  /** The inputs of the gold tables, restricted to the widened range when there is one. */
  public record Inputs(Dataset<Row> conversations, Dataset<Row> captures, Dataset<Row> impressions,
      Dataset<Row> leads, Dataset<Row> allLeads, Dataset<Row> tickets, Dataset<Row> deals) {

    public static Inputs read(Tables tables, Settings settings, Periods.Range range) {
      Dataset<Row> conversations = tables.read(ConversationsTable.TABLE);
      Dataset<Row> impressions = tables.read(EventsTable.TABLE)
          .where(col(EventsTable.EVENT_NAME).equalTo("chat_impression"))
          .select(col(EventsTable.EVENT_TS), col(EventsTable.CHANNEL), col(EventsTable.PAGE_TYPE),
              col(EventsTable.EVENT_DATE));
      Dataset<Row> leads = tables.read(LeadsTable.TABLE);
      Dataset<Row> tickets = tables.read(TicketsTable.TABLE);
      Dataset<Row> deals = tables.read(DealsTable.TABLE);
      // of all time: a lead or deal in the range may come from a conversation before it
      Dataset<Row> captures = conversations.where(col("lead_captured"));
      if (range == null) {
        return new Inputs(conversations, captures, impressions, leads, leads, tickets, deals);
      }
      Periods.Range w = range.widened();
      Date from = Date.valueOf(w.from());
      Date to = Date.valueOf(w.to());
      return new Inputs(
          conversations.where(col(ConversationsTable.PERIOD_DATE).between(from, to)),
          captures,
          impressions.where(col(EventsTable.EVENT_DATE).between(Date.valueOf(w.from().minusDays(1)),
                  Date.valueOf(w.to().plusDays(1)))) // UTC partitions around the local range
              .where(Periods.localDate(col(EventsTable.EVENT_TS), settings).between(from, to)),
          leads.where(Periods.localDate(col("created_at"), settings).between(from, to)),
          leads,
          tickets.where(Periods.localDate(col("created_at"), settings).between(from, to)),
          deals);
    }
  }

  /** Keeps the periods a range touches (days in it, weeks and months it touches); all rows when range is null. */
  public static Dataset<Row> touched(Dataset<Row> rows, Periods.Range range) {
    if (range == null) {
      return rows;
    }
    return rows.where(Periods.touched(col(MetricsTable.PERIOD_GRAIN), col(MetricsTable.PERIOD_START), range));
  }

  /** The `metrics` rows of the periods a range touches (all without one). */
  public static Dataset<Row> rows(Settings settings, Periods.Range range, Inputs in) {
    return touched(Metrics.compute(in.conversations(), in.captures(), in.impressions(), in.leads(), in.tickets(),
        settings), range);
  }
}
