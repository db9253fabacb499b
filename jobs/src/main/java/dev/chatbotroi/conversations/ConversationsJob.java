package dev.chatbotroi.conversations;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import dev.chatbotroi.common.IdentityMap;
import dev.chatbotroi.common.Columns;
import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.common.TicketsTable;
import java.sql.Date;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Stage `conversations`: events (+ tickets) → `conversations`, for all dates, or for the
 * conversations a range can change; grain: one row per conversation_id.
 */
public final class ConversationsJob {
  private ConversationsJob() {}

  /** Days of margin around a range when slicing events by their UTC date (time zones are ±14 h). */
  static final int MARGIN_DAYS = 2;

  /**
   * What a run wrote: the rows, and the dates whose periods must be recomputed because of them: the
   * range asked, stretched to every conversation rebuilt, where it starts now and where it started
   * before (a visitor's late return changes a conversation of three weeks ago).
   */
  public record Result(long rows, Periods.Range recompute) {}

  /** The event columns the conversations stage reads. */
  static final String[] COLUMNS = {"event_id", "event_name", "event_ts", "anonymous_id", "user_id",
      "conversation_id", "channel", "flow", "intent", "page_type", "utm_campaign", "useful", "score", "lead_id",
      "question", "revenue", EventsTable.EVENT_DATE};

  /** Builds and writes conversations; a null range rebuilds the whole table. */
  public static Result run(Tables tables, Settings settings, Periods.Range range) {
    Dataset<Row> events = tables.read(EventsTable.TABLE).select(Columns.of(COLUMNS));
    Dataset<Row> tickets = tables.read(TicketsTable.TABLE);
    if (range != null) {
      return ranged(tables, settings, range, events, tickets);
    }
    // One scan of the events: the identity map, the conversation facts and the purchases all read
    // this cached projection of the columns they need.
    Dataset<Row> cached = events.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return new Result(tables.overwriteCounted(ConversationsTable.TABLE, all(cached, tickets, settings)), null);
    } finally {
      cached.unpersist();
    }
  }

  /** Every conversation of the (cached) events: the identity map and the facts read the same events. */
  static Dataset<Row> all(Dataset<Row> events, Dataset<Row> tickets, Settings settings) {
    return Conversations.build(events, IdentityMap.of(events), tickets, settings);
  }

  /**
   * The ids of the conversations a range can change: those with an event in it (with a margin of
   * UTC dates for time zones), and those of visitors whose identity may be set by an event in it
   * (a lead captured today stitches last month's anonymous conversations). The other rows of the
   * weeks and months the range touches are right as stored: metrics read them from the table.
   */
  public static Dataset<Row> touched(Dataset<Row> events, Dataset<Row> stored, Periods.Range range) {
    Dataset<Row> slice = events.where(col(EventsTable.EVENT_DATE).between(
        Date.valueOf(range.from().minusDays(MARGIN_DAYS)), Date.valueOf(range.to().plusDays(MARGIN_DAYS))));
    Dataset<Row> withEvents = slice.where(col("conversation_id").isNotNull()).select(col("conversation_id"));
    Dataset<Row> linkedVisitors = slice
        .where(col("anonymous_id").isNotNull().and(coalesce(col("user_id"), col("lead_id")).isNotNull()))
        .select(col("anonymous_id").as("_visitor")).distinct();
    Dataset<Row> ofVisitors = stored.join(linkedVisitors, stored.col("anonymous_id").equalTo(col("_visitor")),
        "left_semi").select(col("conversation_id"));
    return withEvents.unionByName(ofVisitors).distinct();
  }

  /**
   * A ranged (daily) run rebuilds each conversation it can change from all of that conversation's
   * events, however far apart (a visitor who comes back three weeks later), and merges the rows in
   * one commit; stored conversations of the range that no longer exist (erased) are removed.
   */
  private static Result ranged(Tables tables, Settings settings, Periods.Range range, Dataset<Row> events,
      Dataset<Row> tickets) {
    tables.ensure(ConversationsTable.TABLE);
    Dataset<Row> stored = tables.read(ConversationsTable.TABLE);
    Dataset<Row> ids = touched(events, stored, range).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> theirEvents = events.join(ids, Columns.names("conversation_id"), "left_semi");
      Dataset<Row> built = Conversations.build(theirEvents, IdentityMap.of(events), tickets, settings)
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        Periods.Range recompute = stretched(range, built.select(col(ConversationsTable.PERIOD_DATE)),
            stored.join(ids, Columns.names("conversation_id"), "left_semi")
                .select(col(ConversationsTable.PERIOD_DATE)));
        Column inRange = col("t." + ConversationsTable.PERIOD_DATE).between(lit(Date.valueOf(range.from())),
            lit(Date.valueOf(range.to())));
        long rows = tables.mergeCounted(ConversationsTable.TABLE, built, ConversationsTable.CONVERSATION_ID, inRange);
        return new Result(rows, recompute);
      } finally {
        built.unpersist();
      }
    } finally {
      ids.unpersist();
    }
  }

  /** {@code w} stretched to the earliest and latest period date among {@code dates} (rebuilt and as stored). */
  static Periods.Range stretched(Periods.Range w, Dataset<Row> rebuilt, Dataset<Row> storedBefore) {
    Row r = rebuilt.unionByName(storedBefore)
        .agg(min(ConversationsTable.PERIOD_DATE), max(ConversationsTable.PERIOD_DATE)).first();
    if (r.isNullAt(0)) {
      return w;
    }
    java.time.LocalDate lo = r.getDate(0).toLocalDate();
    java.time.LocalDate hi = r.getDate(1).toLocalDate();
    return new Periods.Range(lo.isBefore(w.from()) ? lo : w.from(), hi.isAfter(w.to()) ? hi : w.to());
  }
}
