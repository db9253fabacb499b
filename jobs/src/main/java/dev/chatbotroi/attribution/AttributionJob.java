package dev.chatbotroi.attribution;

import dev.chatbotroi.common.IdentityMap;
import dev.chatbotroi.common.AttributionCreditsTable;
import dev.chatbotroi.common.AttributionPathsTable;
import dev.chatbotroi.common.AttributionStatesTable;
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
 * `attribution_credits`, `revenue_attribution`, `roi`, `channel_roi`, `attribution_states`,
 * `attribution_paths`. Rebuilt whole on every run: a deal's credits depend on touches up to the largest
 * window before it, and the learned models on every journey, wherever a date range falls.
 */
public final class AttributionJob {
  private AttributionJob() {}

  public static String run(Tables tables, Settings settings) {
    Dataset<Row> conversations = tables.read(ConversationsTable.TABLE);
    Dataset<Row> events = tables.read(EventsTable.TABLE).select("event_id", "event_name", "event_ts",
        "anonymous_id", "user_id", "lead_id", "touch_channel", "utm_campaign");
    Dataset<Row> identity = IdentityMap.of(events);
    Dataset<Row> leads = tables.read(LeadsTable.TABLE);
    Dataset<Row> deals = tables.read(DealsTable.TABLE);
    Dataset<Row> won = Attribution.wonDeals(deals, leads, settings).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> touches = Attribution.touches(conversations, events, identity)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> journeys = Journeys.of(won, Attribution.lostDeals(deals, leads, settings), touches, settings)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> credits = null;
    try {
      LearnedShares.Fit fit = LearnedShares.fit(journeys, settings);
      credits = Attribution.credits(won, touches, fit.shares(), settings).persist(StorageLevel.MEMORY_AND_DISK());
      long creditRows = tables.overwriteCounted(AttributionCreditsTable.TABLE, Attribution.creditRows(credits));
      long revenueRows = tables.overwriteCounted(RevenueAttributionTable.TABLE,
          Attribution.revenue(credits, won, settings));
      long months = tables.overwriteCounted(RoiTable.TABLE, Roi.compute(conversations, credits, won, settings));
      long channelRows = tables.overwriteCounted(ChannelRoiTable.TABLE,
          ChannelRoi.compute(credits, won, conversations, tables.read(SpendTable.TABLE), settings));
      long stateRows = tables.overwriteCounted(AttributionStatesTable.TABLE, JourneyTables.states(journeys, fit));
      long pathRows = tables.overwriteCounted(AttributionPathsTable.TABLE, JourneyTables.paths(journeys));
      return creditRows + " credits, " + revenueRows + " revenue rows, " + months + " roi months, " + channelRows
          + " channel_roi rows, " + stateRows + " journey states, " + pathRows + " paths";
    } finally {
      if (credits != null) {
        credits.unpersist();
      }
      journeys.unpersist();
      touches.unpersist();
      won.unpersist();
    }
  }
}
