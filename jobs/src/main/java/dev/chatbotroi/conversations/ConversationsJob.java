package dev.chatbotroi.conversations;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.TicketsTable;
import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Stage `conversations`: events (+ tickets) → `conversations`, for all dates or the periods a range touches. */
public final class ConversationsJob {
  private ConversationsJob() {}

  /** Days of margin around a range when slicing events by their UTC date (time zones are ±14 h). */
  static final int MARGIN_DAYS = 2;

  /** Builds and writes conversations; returns how many were written. */
  public static long run(Tables tables, Settings settings, Periods.Range range) {
    Dataset<Row> events = tables.read(EventsTable.TABLE);
    Dataset<Row> identity = Conversations.identityMap(events);
    Dataset<Row> tickets = tables.read(TicketsTable.TABLE);
    if (range == null) {
      Dataset<Row> all = Conversations.build(events, identity, tickets, settings);
      return tables.overwriteCounted(ConversationsTable.TABLE, all);
    }
    // whole weeks and months, so the metrics of every period the range touches see fresh rows
    LocalDate from = range.widened().from();
    LocalDate to = range.widened().to();
    // a conversation's events sit within a day or two of its start; purchases up to the window after it
    Dataset<Row> slice = events.where(col(EventsTable.EVENT_DATE).between(
        Date.valueOf(from.minusDays(MARGIN_DAYS)),
        Date.valueOf(to.plusDays(MARGIN_DAYS + settings.conversion().windowDays()))));
    Dataset<Row> built = Conversations.build(slice, identity, tickets, settings)
        .where(col(ConversationsTable.PERIOD_DATE).between(lit(Date.valueOf(from)), lit(Date.valueOf(to))));
    return tables.replaceWhereCounted(ConversationsTable.TABLE, built, Periods.dateCondition(
        ConversationsTable.PERIOD_DATE, from, to));
  }
}
