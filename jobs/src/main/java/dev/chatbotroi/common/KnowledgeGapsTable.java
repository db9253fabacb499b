package dev.chatbotroi.common;

import static dev.chatbotroi.common.Schemas.*;

import dev.chatbotroi.common.TableSchema.PeriodKind;
import java.util.List;

/** Table `knowledge_gaps`: one row per week or month, intent and normalised question (docs/metrics.md#knowledge-gaps). */
public final class KnowledgeGapsTable {
  private KnowledgeGapsTable() {}

  public static final TableSchema TABLE = new TableSchema("knowledge_gaps", struct(
      str("period_grain"), date("period_start"), str("intent"), str("question"), lng("conversations"),
      dbl("share"), str("example_conversation_id"), integer("rank")),
      "period_grain")
      .exported(List.of("period_grain", "period_start", "intent", "question"), "period_start", PeriodKind.DATE, List.of(List.of("period_grain", "period_start", "rank")));
}
