package dev.chatbotroi.conversations;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.chatbotroi.common.Columns;
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
import org.apache.spark.storage.StorageLevel;

/** Stage `conversations`: events (+ tickets) → `conversations`, for all dates or the periods a range touches. */
public final class ConversationsJob {
  private ConversationsJob() {}

  /** Days of margin around a range when slicing events by their UTC date (time zones are ±14 h). */
  static final int MARGIN_DAYS = 2;

  /** Builds and writes conversations; returns how many were written. */
  public static long run(Tables tables, Settings settings, Periods.Range range) {
    Dataset<Row> events = tables.read(EventsTable.TABLE).select(Columns.of(COLUMNS));
    if (range != null) {
      // A ranged (daily) run reads its slice by event_date partition and the identity map's few
      // columns of all time; caching all of history first would make every daily run cost as
      // much as the history (docs/benchmarks.md, incremental).
      return write(tables, settings, range, events);
    }
    // One scan of the events: the identity map, the conversation facts and the purchases all read
    // this cached projection of the columns they need.
    Dataset<Row> cached = events.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return write(tables, settings, null, cached);
    } finally {
      cached.unpersist();
    }
  }

  /** The event columns the conversations stage reads. */
  static final String[] COLUMNS = {"event_id", "event_name", "event_ts", "anonymous_id", "user_id",
      "conversation_id", "channel", "flow", "intent", "page_type", "utm_campaign", "useful", "score", "lead_id",
      "question", "revenue", EventsTable.EVENT_DATE};

  /** The conversations of all events, or of the widened range, given the (cached) events. */
  static Dataset<Row> conversations(Dataset<Row> events, Dataset<Row> tickets, Settings settings,
      Periods.Range range) {
    Dataset<Row> identity = Conversations.identityMap(events);
    if (range == null) {
      return Conversations.build(events, identity, tickets, settings);
    }
    LocalDate from = range.widened().from();
    LocalDate to = range.widened().to();
    Dataset<Row> slice = events.where(col(EventsTable.EVENT_DATE).between(
        Date.valueOf(from.minusDays(MARGIN_DAYS)),
        Date.valueOf(to.plusDays(MARGIN_DAYS + settings.conversion().windowDays()))));
    return Conversations.build(slice, identity, tickets, settings)
        .where(col(ConversationsTable.PERIOD_DATE).between(lit(Date.valueOf(from)), lit(Date.valueOf(to))));
  }

  private static long write(Tables tables, Settings settings, Periods.Range range, Dataset<Row> events) {
    Dataset<Row> tickets = tables.read(TicketsTable.TABLE);
    Dataset<Row> built = conversations(events, tickets, settings, range);
    if (range == null) {
      return tables.overwriteCounted(ConversationsTable.TABLE, built);
    }
    // whole weeks and months, so the metrics of every period the range touches see fresh rows
    Periods.Range w = range.widened();
    return tables.replaceWhereCounted(ConversationsTable.TABLE, built, Periods.dateCondition(
        ConversationsTable.PERIOD_DATE, w.from(), w.to()));
  }
}
