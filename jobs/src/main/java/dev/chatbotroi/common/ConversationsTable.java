package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import dev.chatbotroi.common.TableSchema.PeriodKind;
import java.util.List;

import org.apache.spark.sql.types.DataTypes;

/**
 * Table `conversations`: one row per conversation_id (docs/metrics.md, in its column order), then
 * extension columns the later stages need (revenue, captured leads, knowledge-gap questions).
 */
public final class ConversationsTable {
  private ConversationsTable() {}

  public static final String CONVERSATION_ID = "conversation_id";
  public static final String PERIOD_DATE = "period_date";

  public static final TableSchema TABLE = new TableSchema("conversations", struct(
      str(CONVERSATION_ID), str("anonymous_id"), date(PERIOD_DATE),
      str("channel"), str("flow"), str("intent"), str("page_type"), str("utm_campaign"),
      ts("start_ts"), ts("end_ts"), dbl("duration_seconds"), bool("engaged"),
      integer("user_turns"), integer("bot_turns"), integer("fallback_turns"),
      dbl("first_useful_answer_seconds"), bool("goal_completed"), bool("resolved"),
      bool("handed_off"), bool("agent_involved"), bool("knowledge_gap"),
      integer("csat_score"), bool("csat_positive"), str("lead_id"), bool("eligible"),
      bool("deflected"), bool("converted"), bool("completed"), str("outcome"),
      // extensions, after the contract's columns
      money("purchase_revenue"), bool("lead_captured"),
      DataTypes.createStructField("captured_lead_ids", DataTypes.createArrayType(DataTypes.StringType), true),
      DataTypes.createStructField("gap_questions", DataTypes.createArrayType(DataTypes.StringType), true)),
      PERIOD_DATE)
      .exported(List.of("conversation_id"), "period_date", PeriodKind.DATE, List.of(List.of("period_date"), List.of("channel", "flow", "intent")));
}
