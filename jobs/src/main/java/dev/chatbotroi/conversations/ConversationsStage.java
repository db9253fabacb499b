package dev.chatbotroi.conversations;

import dev.chatbotroi.common.Periods;
import dev.chatbotroi.common.Stage;
import dev.chatbotroi.common.StageContext;

/** Stage `conversations`: the conversations a range can change, or all of them; grain: one chunk. */
public final class ConversationsStage implements Stage {

  @Override
  public String name() {
    return "conversations";
  }

  @Override
  public Scope scope() {
    return Scope.CHUNKED;
  }

  @Override
  public Outcome run(StageContext c, Periods.Range range) {
    ConversationsJob.Result r = ConversationsJob.run(c.tables(), c.settings(), range);
    Periods.Range next = r.recompute() == null ? range : r.recompute();
    return Outcome.of(r.rows() + " conversations" + (next == null || next.equals(range) ? ""
        : " (periods " + next.from() + ".." + next.to() + " to recompute)"), next);
  }
}
