package dev.chatbotroi.attribution;

import dev.chatbotroi.common.IdentityMap;
import dev.chatbotroi.common.AttributionCreditsTable;
import dev.chatbotroi.common.ChannelRoiTable;
import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.DealsTable;
import dev.chatbotroi.common.EventsTable;
import dev.chatbotroi.common.LeadsTable;
import dev.chatbotroi.common.RevenueAttributionTable;
import dev.chatbotroi.common.RoiTable;
import dev.chatbotroi.common.Settings;
import dev.chatbotroi.common.SpendTable;
import dev.chatbotroi.common.Tables;
import dev.chatbotroi.conversations.Conversations;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Stage `attribute`: conversations + marketing touches + CRM deals (+ marketing spend) →
 * `attribution_credits`, `revenue_attribution`, `roi`, `channel_roi`. Rebuilt whole on every run:
 * a deal's credits depend on touches up to the largest window before it, wherever a date range falls.
 */
public final class AttributionJob {
  private AttributionJob() {}

  public static String run(Tables tables, Settings settings) {
    Dataset<Row> conversations = tables.read(ConversationsTable.TABLE);
    Dataset<Row> events = tables.read(EventsTable.TABLE).select("event_id", "event_name", "event_ts",
        "anonymous_id", "user_id", "lead_id", "touch_channel", "utm_campaign");
    Dataset<Row> identity = IdentityMap.of(events);
    Dataset<Row> leads = tables.read(LeadsTable.TABLE);
    Dataset<Row> won = Attribution.wonDeals(tables.read(DealsTable.TABLE), leads, settings)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> touches = Attribution.touches(conversations, events, identity);
    Dataset<Row> credits = Attribution.credits(won, touches, settings).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long creditRows = tables.overwriteCounted(AttributionCreditsTable.TABLE, Attribution.creditRows(credits));
      long revenueRows = tables.overwriteCounted(RevenueAttributionTable.TABLE,
          Attribution.revenue(credits, won, settings));
      long months = tables.overwriteCounted(RoiTable.TABLE, Roi.compute(conversations, credits, won, settings));
      long channelRows = tables.overwriteCounted(ChannelRoiTable.TABLE,
          ChannelRoi.compute(credits, won, conversations, tables.read(SpendTable.TABLE), settings));
      return creditRows + " credits, " + revenueRows + " revenue rows, " + months + " roi months, " + channelRows
          + " channel_roi rows";
    } finally {
      credits.unpersist();
      won.unpersist();
    }
  }
}
