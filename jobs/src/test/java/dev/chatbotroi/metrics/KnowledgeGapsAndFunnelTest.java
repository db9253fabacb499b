package dev.chatbotroi.metrics;

import static dev.chatbotroi.metrics.MetricsTest.conv;
import static dev.chatbotroi.metrics.MetricsTest.m;
import static dev.chatbotroi.metrics.MetricsTest.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatbotroi.common.ConversationsTable;
import dev.chatbotroi.common.DealsTable;
import dev.chatbotroi.common.FunnelTable;
import dev.chatbotroi.common.KnowledgeGapsTable;
import dev.chatbotroi.common.LeadsTable;
import dev.chatbotroi.testing.DataFrameAssert;
import dev.chatbotroi.testing.TestSpark;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** knowledge_gaps and funnel on hand-made fixtures (Monday 2026-03-02, UTC). */
class KnowledgeGapsAndFunnelTest {

  @Test
  void knowledgeGapsCountShareExampleAndRank() {
    var spark = TestSpark.session();
    Dataset<Row> convs = spark.createDataFrame(List.of(
        conv("c1", "web", "support", "order_status", m("knowledge_gap", true,
            "gap_questions", List.of("where is my parcel"), "start_ts", ts("2026-03-02T10:00:00Z"))),
        conv("c2", "web", "support", "order_status", m("knowledge_gap", true,
            "gap_questions", List.of("where is my parcel"), "start_ts", ts("2026-03-02T09:00:00Z"))),
        conv("c3", "web", "support", "billing", m("knowledge_gap", true,
            "gap_questions", List.of("can i pay by invoice", "where is my parcel"))),
        conv("c4", "web", "support", "billing", m())), ConversationsTable.TABLE.schema());
    Dataset<Row> gaps = KnowledgeGaps.compute(convs);
    assertEquals(KnowledgeGapsTable.TABLE.schema().simpleString(), gaps.schema().simpleString());
    // 3 knowledge-gap conversations in the week (and the month): shares are over 3
    assertEquals(List.of(
            "[month,2026-03-01,billing,can i pay by invoice,1,0.3333333333333333,c3,2]",
            "[month,2026-03-01,billing,where is my parcel,1,0.3333333333333333,c3,3]",
            "[month,2026-03-01,order_status,where is my parcel,2,0.6666666666666666,c2,1]",
            "[week,2026-03-02,billing,can i pay by invoice,1,0.3333333333333333,c3,2]",
            "[week,2026-03-02,billing,where is my parcel,1,0.3333333333333333,c3,3]",
            "[week,2026-03-02,order_status,where is my parcel,2,0.6666666666666666,c2,1]"),
        DataFrameAssert.sortedText(gaps));
  }

  @Test
  void funnelStepsBySegment() {
    var spark = TestSpark.session();
    Dataset<Row> convs = spark.createDataFrame(List.of(
        conv("c1", "web", "support", "pricing", m("page_type", "pricing", "engaged", true, "lead_captured", true,
            "captured_lead_ids", List.of("L1"))),
        conv("c2", "messenger", "support", "billing", m("engaged", true)),
        conv("c3", "messenger", "support", "billing", m())), ConversationsTable.TABLE.schema());
    StructType imprSchema = new StructType().add("event_ts", "timestamp").add("channel", "string")
        .add("page_type", "string");
    List<Row> impr = new ArrayList<>();
    for (String[] i : new String[][] {{"web", "home"}, {"web", "home"}, {"web", "home"}, {"web", "pricing"},
        {"web", "pricing"}, {"messenger", null}}) {
      impr.add(RowFactory.create(ts("2026-03-02T08:00:00Z"), i[0], i[1]));
    }
    Timestamp day = ts("2026-03-02T12:00:00Z");
    Dataset<Row> leads = spark.createDataFrame(List.of(
        RowFactory.create("L1", day, "chatbot", "h1", "sql", null, day, day, true, "f", "r", day),
        RowFactory.create("L2", day, "chatbot", "h2", "new", null, null, null, null, "f", "r", day),
        RowFactory.create("L3", day, "form", "h3", "new", day, null, null, null, "f", "r", day)),
        LeadsTable.TABLE.schema());
    Dataset<Row> deals = spark.createDataFrame(List.of(
        RowFactory.create("D1", "L1", null, day, day, "closed_won", new BigDecimal("100"), null, "USD", "f", "r", day),
        // linked to L2 by e-mail only; L2 has no capturing conversation: counted in the () row only
        RowFactory.create("D2", null, "h2", day, day, "closed_won", new BigDecimal("50"), null, "USD", "f", "r", day),
        RowFactory.create("D3", "L1", null, day, day, "closed_lost", new BigDecimal("70"), null, "USD", "f", "r", day),
        // a form lead's deal is not a chatbot lead's
        RowFactory.create("D4", "L3", null, day, day, "closed_won", new BigDecimal("90"), null, "USD", "f", "r", day)),
        DealsTable.TABLE.schema());
    Dataset<Row> funnel = Funnel.compute(convs, convs.where(org.apache.spark.sql.functions.col("lead_captured")),
        spark.createDataFrame(impr, imprSchema), leads, deals, TestSpark.settings());
    assertEquals(FunnelTable.TABLE.schema().simpleString(), funnel.schema().simpleString());
    List<String> day1 = DataFrameAssert.sortedText(funnel.where("period_grain = 'day'"));
    // columns: grain, start, channel, page_type, impressions, engaged, leads, qualified_leads,
    // qualified_meetings, won_deals, won_revenue
    assertEquals(List.of(
            "[day,2026-03-02,(all),(all),6,2,2,1,1,2,150.000000]",
            "[day,2026-03-02,(all),(none),1,1,0,0,0,0,0.000000]",
            "[day,2026-03-02,(all),home,3,0,0,0,0,0,0.000000]",
            "[day,2026-03-02,(all),pricing,2,1,1,1,1,1,100.000000]",
            "[day,2026-03-02,messenger,(all),1,1,0,0,0,0,0.000000]",
            "[day,2026-03-02,messenger,(none),1,1,0,0,0,0,0.000000]",
            "[day,2026-03-02,web,(all),5,1,1,1,1,1,100.000000]",
            "[day,2026-03-02,web,home,3,0,0,0,0,0,0.000000]",
            "[day,2026-03-02,web,pricing,2,1,1,1,1,1,100.000000]"),
        day1);
  }
}
